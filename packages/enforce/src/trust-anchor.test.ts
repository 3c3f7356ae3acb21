import { jwkThumbprint } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { proofHeaders } from "@countersign/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnforcer } from "./enforcer.ts";
import { paymentAction } from "./test-support/payment-service.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const base = () => ({ countersignUrl: t.url, executorKey: t.executorKey, action: paymentAction });

describe("the trust anchor", () => {
  it("refuses to build without pinned keys or thumbprints, naming what is missing", () => {
    for (const verify of [undefined, {}, { keys: { keys: [] } }, { keys: [] }, { thumbprints: [] }]) {
      expect(() => createEnforcer({ ...base(), verify } as never)).toThrow(
        /verify: pin Countersign's public keys/,
      );
    }
    expect(() => createEnforcer({ ...base(), executorKey: "", verify: { keys: t.jwks } })).toThrow(
      /executorKey is required/,
    );
    expect(() => createEnforcer({ ...base(), action: undefined, verify: { keys: t.jwks } } as never)).toThrow(
      /action: map a request/,
    );
  });

  async function approvedProof() {
    const opened = await fetch(`${t.url}/v1/pauses`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.agentKey}`, "content-type": "application/json" },
      body: JSON.stringify({ agent_id: "billing-agent", action: { type: "payment", data: { amount: 5 } } }),
    });
    const pause = (await opened.json()) as { pause_id: string };
    return (await t.approve(pause.pause_id)).proof!;
  }

  const request = (headers: Record<string, string>) => ({
    method: "POST",
    path: "/payments",
    headers: new Headers(headers),
    body: { amount: 5 },
    params: {},
    raw: null,
  });

  it("with pinned thumbprints, believes only the served keys that match them", async () => {
    const proof = await approvedProof();
    const pinned = createEnforcer({
      ...base(),
      verify: { thumbprints: [await jwkThumbprint(t.jwks.keys[0]!)] },
    });
    const verdict = await pinned.check(request(proofHeaders(proof)));
    expect(verdict.ok).toBe(true);

    const other = await approvedProof();
    const wrongPin = createEnforcer({
      ...base(),
      verify: { thumbprints: ["not-the-servers-key-thumbprint"] },
    });
    const refused = await wrongPin.check(request(proofHeaders(other)));
    expect(refused).toMatchObject({ ok: false, status: 403, problem: { proof_code: "proof_unknown_key" } });
  });

  it("refuses a proof signed by keys that are not pinned, without calling Countersign", async () => {
    const elsewhere = await startTestServer();
    try {
      const opened = await fetch(`${elsewhere.url}/v1/pauses`, {
        method: "POST",
        headers: { authorization: `Bearer ${elsewhere.agentKey}`, "content-type": "application/json" },
        body: JSON.stringify({ agent_id: "billing-agent", action: { type: "payment", data: { amount: 5 } } }),
      });
      const pause = (await opened.json()) as { pause_id: string };
      const foreign = (await elsewhere.approve(pause.pause_id)).proof!;
      let calls = 0;
      const enforcer = createEnforcer({
        ...base(),
        verify: { keys: t.jwks },
        fetch: (input, init) => {
          calls++;
          return fetch(input, init);
        },
      });
      const verdict = await enforcer.check(request(proofHeaders(foreign)));
      expect(verdict).toMatchObject({ ok: false, status: 403, problem: { proof_code: "proof_unknown_key" } });
      expect(calls).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});
