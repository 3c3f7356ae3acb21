import { createHash } from "node:crypto";
import type { PolicyDecision } from "../policy-hook.ts";

/** What a sampling rule drew for one pause: recorded in its routing, its audit events and (unsampled) its proof. */
export interface SamplingDraw {
  rate: number;
  seed: string;
  /** In [0, 1): `SHA-256(seed \n rule \n pause_id)`, its first 48 bits over 2^48. */
  draw: number;
  /** `draw < rate`: people decide it. */
  sampled: boolean;
}

/**
 * The seeded draw of a sampling rule. It depends only on the seed, the rule
 * and the pause id (which the server makes at random, after the agent has
 * asked), so anyone with the seed — a test, an auditor — recomputes it, and
 * every server instance draws the same for the same pause.
 */
export function sampleDraw(seed: string, rule: string, pauseId: string, rate: number): SamplingDraw {
  const digest = createHash("sha256").update(`${seed}\n${rule}\n${pauseId}`, "utf8").digest();
  const draw = digest.readUIntBE(0, 6) / 2 ** 48;
  return { rate, seed, draw, sampled: draw < rate };
}

/**
 * Turns a `sample` outcome into what it means for this pause: `require`
 * (sampled: people decide, routed by the rule's settings) or `auto_approve`
 * (not sampled), with the draw recorded in the routing. Other outcomes pass through.
 */
export function resolveSampling(
  policy: PolicyDecision | null,
  pauseId: string,
): { policy: PolicyDecision | null; sampling: SamplingDraw | null } {
  if (policy?.outcome !== "sample" || !policy.sample) return { policy, sampling: null };
  const sampling = sampleDraw(policy.sample.seed, policy.rule, pauseId, policy.sample.rate);
  return {
    sampling,
    policy: {
      ...policy,
      outcome: sampling.sampled ? "require" : "auto_approve",
      routing: { ...policy.routing, sampling: { ...sampling } },
    },
  };
}
