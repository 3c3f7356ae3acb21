import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { compilePolicy } from "../../policy/compile-policy.ts";
import { policyHook } from "../../policy/policy-hook.ts";
import { verifyProof } from "../../proof/verify-proof.ts";
import { startTestServer, type TestServer } from "../../testing/test-server.ts";
import { auditOf, fakeClock, openPause, refund } from "../governance-test-helpers.ts";
import { sampleDraw } from "./sampling.ts";

describe("sampleDraw", () => {
  it("is SHA-256 of seed, rule and pause id, its first 48 bits over 2^48", () => {
    const digest = createHash("sha256").update("s1\nsmall-refunds\npau_x").digest();
    const expected = digest.readUIntBE(0, 6) / 2 ** 48;
    expect(sampleDraw("s1", "small-refunds", "pau_x", 0.5)).toEqual({
      rate: 0.5,
      seed: "s1",
      draw: expected,
      sampled: expected < 0.5,
    });
    expect(sampleDraw("s2", "small-refunds", "pau_x", 0.5).draw).not.toBe(expected);
  });

  it("samples about the rate over many pauses", () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => `pau_${index}`);
    const sampled = ids.filter((id) => sampleDraw("seed", "rule", id, 0.1).sampled).length;
    expect(sampled / ids.length).toBeGreaterThan(0.09);
    expect(sampled / ids.length).toBeLessThan(0.11);
  });
});

describe("outcome: sample through the server", () => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  it("sends the drawn share to people and approves the rest with a proof that names the rule and says it was not sampled", async () => {
    const clock = fakeClock();
    const compiled = compilePolicy({
      sampling: { seed: "audit-seed-1" },
      rules: [
        {
          name: "refund-sampling",
          action_type: "refund",
          outcome: "sample",
          sample: { rate: 0.3 },
          approvers: ["group:finance"],
        },
      ],
    });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    t = await startTestServer({ policy: policyHook(compiled.policy), now: clock.now });
    const pauses = await Promise.all(Array.from({ length: 40 }, () => openPause(t, refund(30))));
    let sampledCount = 0;
    for (const pause of pauses) {
      const expected = sampleDraw("audit-seed-1", "refund-sampling", pause.pause_id, 0.3);
      const routed = (await auditOf(t, pause.pause_id)).find((event) => event.type === "pause.routed");
      expect(routed?.data.sampling).toEqual(expected);
      if (expected.sampled) {
        sampledCount++;
        expect(pause.status).toBe("pending");
        expect(pause.routing).toMatchObject({ outcome: "require", approvers: ["group:finance"] });
        continue;
      }
      expect(pause.status).toBe("approved");
      expect(pause.decision?.decided_by).toEqual({
        kind: "policy",
        id: "policy:refund-sampling",
        rule: "refund-sampling",
      });
      const verified = await verifyProof(pause.proof, {
        keys: t.jwks,
        pauseId: pause.pause_id,
        action: pause.action,
        now: clock.now(),
      });
      expect(verified.proof).toMatchObject({
        sampled: false,
        sample: { rate: 0.3, draw: expected.draw },
        policy: { rule: "refund-sampling" },
      });
    }
    // 40 draws at 0.3: both kinds occur (the chance of none either way is below one in a million).
    expect(sampledCount).toBeGreaterThan(0);
    expect(sampledCount).toBeLessThan(40);
  });

  it("refuses a sample outcome without a rate, and a rate of 1 or more", () => {
    expect(compilePolicy({ rules: [{ name: "r", outcome: "sample" }] }).ok).toBe(false);
    expect(compilePolicy({ rules: [{ name: "r", outcome: "sample", sample: { rate: 1 } }] }).ok).toBe(false);
    expect(compilePolicy({ rules: [{ name: "r", outcome: "require", sample: { rate: 0.5 } }] }).ok).toBe(
      false,
    );
    t = { close: async () => {} } as TestServer;
  });
});
