import { createServer } from "node:net";
import { resultDigest } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { type ActionData, type Proof, proofHeaders } from "@countersign/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EnforceOptions } from "../enforce-options.ts";
import { type PaymentService, paymentAction, type StartPaymentService } from "./payment-service.ts";

const ACME = { payee: "Acme Corp", amount: 12450, currency: "USD" };

/**
 * The same scenarios against one framework's service: a real Countersign
 * server and a real service, both on loopback.
 */
export function describeEnforcement(framework: string, start: StartPaymentService): void {
  describe(`proof-gated endpoint on ${framework}`, () => {
    let t: TestServer;
    let service: PaymentService;
    const options = (overrides: Partial<EnforceOptions<unknown>> = {}): EnforceOptions<unknown> => ({
      countersignUrl: t.url,
      executorKey: t.executorKey,
      verify: { keys: t.jwks },
      action: paymentAction,
      onReceiptError: () => {},
      ...overrides,
    });

    beforeAll(async () => {
      t = await startTestServer();
      service = await start(options());
    });
    afterAll(async () => {
      await service?.close();
      await t?.close();
    });

    /** The agent's side: open a pause for `data`, have Alice approve it (with edits, if given), return the proof. */
    async function approvedProof(data: ActionData, edits?: ActionData): Promise<Proof> {
      const opened = await fetch(`${t.url}/v1/pauses`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          agent_id: "billing-agent",
          action: { type: "payment", title: `Pay ${data.payee}`, data },
        }),
      });
      const pause = (await opened.json()) as { pause_id: string };
      const approved = await t.approve(pause.pause_id, edits ? { data: edits } : {});
      return approved.proof!;
    }

    function pay(body: unknown, headers: Record<string, string> = {}, url = service.url) {
      return fetch(`${url}/payments`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    }

    async function execution(pauseId: string): Promise<Record<string, unknown>> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const response = await fetch(`${t.url}/v1/pauses/${pauseId}`, {
          headers: { authorization: `Bearer ${t.adminKey}` },
        });
        const pause = (await response.json()) as { execution?: Record<string, unknown> | null };
        if (pause.execution) return pause.execution;
        if (Date.now() > deadline) throw new Error(`no receipt for ${pauseId}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }

    const runsFor = (pauseId: string) => service.runs.filter((run) => run.pauseId === pauseId);

    it("refuses a request without a proof with 403 problem+json saying how to get one", async () => {
      const before = service.runs.length;
      const response = await pay(ACME);
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      const problem = await response.json();
      expect(problem).toMatchObject({ status: 403, code: "proof_required" });
      expect(problem.detail).toContain("Countersign-Proof");
      expect(service.runs.length).toBe(before);
    });

    it("runs an approved request once, hands it the pause id, and records the receipt", async () => {
      const proof = await approvedProof(ACME);
      const response = await pay(ACME, proofHeaders(proof));
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ paid: 12450, to: "Acme Corp", idempotency_key: proof.pause_id });
      expect(runsFor(proof.pause_id)).toEqual([
        { pauseId: proof.pause_id, idempotencyKey: proof.pause_id, data: ACME },
      ]);
      expect(await execution(proof.pause_id)).toMatchObject({
        outcome: "succeeded",
        proof_id: proof.proof_id,
        result_digest: await resultDigest(body),
        reported_by: { kind: "executor", identity: "payments-service" },
      });
    });

    it("refuses a replayed proof with 409, and the handler does not run again", async () => {
      const proof = await approvedProof(ACME);
      expect((await pay(ACME, proofHeaders(proof))).status).toBe(200);
      const again = await Promise.all([pay(ACME, proofHeaders(proof)), pay(ACME, proofHeaders(proof))]);
      expect(again.map((response) => response.status)).toEqual([409, 409]);
      expect(await again[0]!.json()).toMatchObject({ code: "already_claimed", pause_id: proof.pause_id });
      expect(runsFor(proof.pause_id)).toHaveLength(1);
    });

    it("runs exactly one of several concurrent requests carrying one proof", async () => {
      const proof = await approvedProof(ACME);
      const responses = await Promise.all(Array.from({ length: 5 }, () => pay(ACME, proofHeaders(proof))));
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect(runsFor(proof.pause_id)).toHaveLength(1);
    });

    it("refuses other arguments with 403 naming the mismatch, and the proof stays usable for the approved ones", async () => {
      const proof = await approvedProof(ACME);
      const wrong = await pay({ ...ACME, amount: 99_999 }, proofHeaders(proof));
      expect(wrong.status).toBe(403);
      const problem = await wrong.json();
      expect(problem).toMatchObject({
        code: "action_mismatch",
        mismatches: [{ path: "data.amount", approved: 12450, requested: 99_999 }],
      });
      expect(problem.detail).toContain("data.amount (approved 12450, requested 99999)");
      expect(runsFor(proof.pause_id)).toEqual([]);
      expect((await pay(ACME, proofHeaders(proof))).status).toBe(200);
    });

    it("honours edited arguments: only the approved amount runs", async () => {
      const edited = { ...ACME, amount: 12000 };
      const proof = await approvedProof(ACME, edited);
      const asRequested = await pay(ACME, proofHeaders(proof));
      expect(asRequested.status).toBe(403);
      expect(await asRequested.json()).toMatchObject({
        mismatches: [{ path: "data.amount", approved: 12000, requested: 12450 }],
      });
      const asApproved = await pay(edited, proofHeaders(proof));
      expect(asApproved.status).toBe(200);
      expect(runsFor(proof.pause_id)).toEqual([
        { pauseId: proof.pause_id, idempotencyKey: proof.pause_id, data: edited },
      ]);
    });

    it("refuses a forged or garbled proof with 403", async () => {
      const proof = await approvedProof(ACME);
      const forged = { ...proof, data: { ...ACME, amount: 1 } };
      const response = await pay({ ...ACME, amount: 1 }, proofHeaders(forged));
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({
        code: "proof_invalid",
        proof_code: "proof_invalid_signature",
      });
      const garbled = await pay(ACME, { "Countersign-Proof": "%%%not-base64%%%" });
      expect(garbled.status).toBe(403);
      expect(runsFor(proof.pause_id)).toEqual([]);
    });

    it("records a failed receipt when the handler throws", async () => {
      const declined = { payee: "Declines Ltd", amount: 10, currency: "USD" };
      const proof = await approvedProof(declined);
      const response = await pay(declined, proofHeaders(proof));
      expect(response.status).toBe(500);
      expect(await execution(proof.pause_id)).toMatchObject({ outcome: "failed", error: "card declined" });
    });

    it("fails closed with 503 when Countersign is unreachable for the claim", async () => {
      const proof = await approvedProof(ACME);
      const down = await start(options({ countersignUrl: await closedPortUrl(), timeoutMs: 2_000 }));
      try {
        const response = await pay(ACME, proofHeaders(proof), down.url);
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ code: "countersign_unavailable" });
        expect(down.runs).toEqual([]);
      } finally {
        await down.close();
      }
      // The approval was not spent: once Countersign answers, it runs.
      expect((await pay(ACME, proofHeaders(proof))).status).toBe(200);
    });

    it("holds an executor key that cannot decide, open or cancel", async () => {
      const opened = await fetch(`${t.url}/v1/pauses`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
        body: JSON.stringify({ agent_id: "billing-agent", action: { type: "payment", data: ACME } }),
      });
      const { pause_id: pauseId } = (await opened.json()) as { pause_id: string };
      const asExecutor = (path: string, body: unknown) =>
        fetch(`${t.url}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${t.executorKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const decided = await asExecutor(`/v1/pauses/${pauseId}/decision`, { decision: "approve" });
      expect(decided.status).toBe(403);
      expect((await asExecutor("/v1/pauses", { agent_id: "x", action: { type: "payment" } })).status).toBe(
        403,
      );
      expect((await asExecutor(`/v1/pauses/${pauseId}/cancel`, {})).status).toBe(403);
    });
  });
}

/** A loopback URL where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
