import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CountersignError } from "../../errors/countersign-error.ts";
import { resultDigest } from "../../proof/result-digest.ts";
import type { Pause } from "../../protocol/pause.ts";
import { startTestServer, type TestServer } from "../../testing/test-server.ts";
import { createClient } from "../create-client.ts";
import { approvedCall } from "./approved-call.ts";
import { createToolGate, type ToolGate } from "./create-tool-gate.ts";
import type { ToolCall } from "./tool-call.ts";
import { ToolGateError } from "./tool-gate-error.ts";
import type { ToolGateOptions } from "./tool-gate-options.ts";

let t: TestServer;
let gate: ToolGate;

beforeEach(async () => {
  t = await startTestServer();
  gate = createToolGate(gateOptions());
});
afterEach(async () => {
  await t.close();
});

function gateOptions(overrides: Partial<ToolGateOptions> = {}): ToolGateOptions {
  return {
    framework: "test",
    url: t.url,
    apiKey: t.agentKey,
    agentId: "billing-agent",
    verify: { keys: t.jwks },
    ...overrides,
  };
}

const refund = (overrides: Partial<ToolCall> = {}): ToolCall => ({
  toolName: "refund_payment",
  callId: "call_1",
  scope: "run-a",
  args: { amount: 12450, currency: "USD", customer: "cus_42", note: "double charge" },
  ...overrides,
});

async function gateError(promise: Promise<unknown>): Promise<ToolGateError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolGateError);
  return error as ToolGateError;
}

async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("the pause request", () => {
  it("titles the pause from the tool and its key arguments, and lists every argument in the body", async () => {
    const { pause } = await gate.open(refund());
    expect(pause.action.title).toBe("Refund payment: amount 12450, currency USD, customer cus_42");
    expect(pause.action.body).toContain("`refund_payment`");
    expect(pause.action.body).toContain("- **note**: `double charge`");
    expect(pause.context).toMatchObject({ framework: "test", scope: "run-a", tool_call_id: "call_1" });
  });

  it("fills a title template, and an explicit title wins over it", async () => {
    const templated = createToolGate(
      gateOptions({ titleTemplate: "Refund {amount} {currency} to {customer}" }),
    );
    expect((await templated.request(refund())).action.title).toBe("Refund 12450 USD to cus_42");
    const titled = createToolGate(
      gateOptions({ titleTemplate: "x {amount}", title: (args) => `Fixed ${args.customer}` }),
    );
    expect((await titled.request(refund())).action.title).toBe("Fixed cus_42");
  });

  it("truncates title and body to the protocol's limits, so a huge argument still opens a pause", async () => {
    const huge = "€".repeat(30_000);
    const { pause } = await gate.open(refund({ args: { customer: huge, amount: 1 } }));
    expect(pause.action.title?.length).toBeLessThanOrEqual(200);
    expect(pause.action.body?.length).toBeLessThanOrEqual(20_000);
    expect(pause.action.data?.customer).toBe(huge);
  });

  it("opens one pause per scope, call and arguments: a repeated call id in another run asks again", async () => {
    const first = await gate.open(refund());
    const again = await gate.open(refund());
    const otherRun = await gate.open(refund({ scope: "run-b" }));
    const otherArgs = await gate.open(refund({ args: { amount: 1 } }));
    expect(again.pause.pause_id).toBe(first.pause.pause_id);
    expect(otherRun.pause.pause_id).not.toBe(first.pause.pause_id);
    expect(otherArgs.pause.pause_id).not.toBe(first.pause.pause_id);
  });
});

describe("authorize", () => {
  it("runs once with the approver's edits; a replay is told it already ran", async () => {
    const opened = await gate.open(refund());
    await t.approve(opened.pause.pause_id, { data: { ...refund().args, amount: 100 } });
    const outcome = await gate.authorize(refund());
    expect(outcome.kind).toBe("run");
    if (outcome.kind !== "run") return;
    const ran = await gate.execute(outcome, async (args) => `refunded ${args.amount}`);
    expect(ran).toBe("refunded 100");
    const replay = await gate.authorize(refund());
    expect(replay).toMatchObject({ kind: "already-ran" });
    expect(replay.kind === "already-ran" && replay.message).toContain("already been executed once");
  });

  it("records the execution receipt once the tool returned: succeeded, with the result's digest", async () => {
    const opened = await gate.open(refund());
    await t.approve(opened.pause.pause_id);
    const outcome = await gate.authorize(refund());
    if (outcome.kind !== "run") throw new Error(`expected run, got ${outcome.kind}`);
    await gate.execute(outcome, async () => ({ refund_id: "re_1", amount: 12450 }));
    const pause = await gate.client.getPause(opened.pause.pause_id);
    expect(pause.execution).toMatchObject({
      outcome: "succeeded",
      result_digest: await resultDigest({ amount: 12450, refund_id: "re_1" }),
      error: null,
    });
  });

  it("records a failed receipt with the error when the tool throws, and still throws the tool's error", async () => {
    const opened = await gate.open(refund());
    await t.approve(opened.pause.pause_id);
    const outcome = await gate.authorize(refund());
    if (outcome.kind !== "run") throw new Error(`expected run, got ${outcome.kind}`);
    const failing = gate.execute(outcome, async () => {
      throw new Error("card declined");
    });
    await expect(failing).rejects.toThrow("card declined");
    const pause = await gate.client.getPause(opened.pause.pause_id);
    expect(pause.execution).toMatchObject({ outcome: "failed", error: "Error: card declined" });
  });

  it("keeps the tool's result when the receipt cannot be recorded, and says so", async () => {
    const opened = await gate.open(refund());
    await t.approve(opened.pause.pause_id);
    const problems: string[] = [];
    const reporting = createToolGate(
      gateOptions({ onReceiptError: (_error, pauseId) => void problems.push(pauseId) }),
    );
    const outcome = await reporting.authorize(refund());
    if (outcome.kind !== "run") throw new Error(`expected run, got ${outcome.kind}`);
    await t.close();
    expect(await reporting.execute(outcome, async () => "refunded")).toBe("refunded");
    expect(problems).toEqual([opened.pause.pause_id]);
    t = await startTestServer(); // afterEach closes a server
  });

  it("leaves the claim and the receipt to a proof-gated service when told the service claims", async () => {
    const serviceGate = createToolGate(gateOptions({ claimedBy: "service" }));
    const opened = await serviceGate.open(refund());
    await t.approve(opened.pause.pause_id, { data: { ...refund().args, amount: 100 } });
    const outcome = await serviceGate.authorize(refund());
    if (outcome.kind !== "run") throw new Error(`expected run, got ${outcome.kind}`);
    expect((await serviceGate.client.getPause(opened.pause.pause_id)).claimed_at).toBeNull();
    const forwarded = await serviceGate.execute(outcome, async (args) => {
      const approval = approvedCall();
      // What the payment service does with the header: it claims, once, as the executor.
      const executor = createClient({ baseUrl: t.url, apiKey: t.executorKey });
      await executor.claim(approval.pauseId, { proofId: approval.proof.proof_id });
      return { amount: args.amount, header: approval.headers["Countersign-Proof"] };
    });
    expect(forwarded.amount).toBe(100);
    expect(JSON.parse(Buffer.from(forwarded.header, "base64url").toString("utf8")).proof_id).toBe(
      outcome.proof.proof_id,
    );
    const pause = await serviceGate.client.getPause(opened.pause.pause_id);
    expect(pause.claimed_at).not.toBeNull();
    expect(pause.execution).toBeNull(); // the service records the receipt, not the adapter
  });

  it("gives a tool its approval only while the gate runs it", async () => {
    expect(() => approvedCall()).toThrow(/outside a tool the Countersign adapter ran/);
  });

  it("refuses with the reviewer's reason", async () => {
    const opened = await gate.open(refund());
    await t.reject(opened.pause.pause_id, "Refund the card, not the account");
    const outcome = await gate.authorize(refund());
    expect(outcome).toMatchObject({ kind: "refuse", refusal: { kind: "rejected" } });
    expect(outcome.kind === "refuse" && outcome.message).toBe(
      "Not run: a reviewer rejected refund_payment. Reason: Refund the card, not the account",
    );
  });

  it("waits for the human", async () => {
    const waiting = gate.authorize(refund());
    const pending = await t.nextPendingPause();
    await t.approve(pending.pause_id);
    expect((await waiting).kind).toBe("run");
  });
});

describe("failures", () => {
  it("refuses to be built without a trust anchor", () => {
    expect(() => createToolGate(gateOptions({ verify: undefined }))).toThrow(CountersignError);
  });

  it("gives up on an unreachable server after outageTimeoutMs with an outage error, and the pause stays resumable", async () => {
    const opened = await gate.open(refund());
    const offline = createToolGate(
      gateOptions({
        client: createClient({ baseUrl: await deadUrl(), apiKey: t.agentKey }),
        outageTimeoutMs: 500,
      }),
    );
    const startedAt = Date.now();
    const error = await gateError(offline.wait(opened));
    expect(error.failure).toBe("outage");
    expect(error.code).toBe("network_error");
    expect(error.message).toContain("retry the same resume");
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    await t.approve(opened.pause.pause_id);
    expect((await gate.authorize(refund())).kind).toBe("run");
  });

  it("stops waiting at the default-or-given timeout, as an outage", async () => {
    const opened = await gate.open(refund());
    const error = await gateError(gate.wait(opened, { timeoutMs: 300 }));
    expect(error).toMatchObject({ failure: "outage", code: "timeout" });
  });

  it("throws a security failure for a tampered proof, a proof of another pause, and a relabelled status", async () => {
    const opened = await gate.open(refund());
    const approved = await t.approve(opened.pause.pause_id);
    const tampered: Pause = { ...approved, proof: { ...approved.proof!, data: { amount: 999_999 } } };
    expect(await gateError(gate.settle(opened, tampered))).toMatchObject({ failure: "security" });

    const other = await gate.open(refund({ callId: "call_2" }));
    const otherApproved = await t.approve(other.pause.pause_id);
    const swapped: Pause = { ...approved, proof: otherApproved.proof };
    expect(await gateError(gate.settle(opened, swapped))).toMatchObject({ failure: "security" });

    const third = await gate.open(refund({ callId: "call_3" }));
    const rejected = await t.reject(third.pause.pause_id, "no");
    const relabelled: Pause = { ...rejected, status: "approved" };
    expect(await gateError(gate.settle(third, relabelled))).toMatchObject({
      failure: "security",
      code: "proof_mismatch",
    });
    // Nothing was claimed: the genuine approval still runs once.
    expect((await gate.settle(opened, approved)).kind).toBe("run");
  });

  it("refuses a proof signed by keys it did not pin", async () => {
    const elsewhere = await startTestServer();
    try {
      const foreign = createToolGate(gateOptions({ verify: { keys: elsewhere.jwks } }));
      const opened = await foreign.open(refund());
      const approved = await t.approve(opened.pause.pause_id);
      const error = await gateError(foreign.settle(opened, approved));
      expect(error.failure).toBe("security");
      expect(error.code).toMatch(/^proof_/);
    } finally {
      await elsewhere.close();
    }
  });
});
