import type { Proof } from "../protocol/proof.ts";

export const DEFAULT_CLOCK_SKEW_SECONDS = 30;

export interface ClockOptions {
  now?: Date;
  /** Allowance for clocks that disagree, in seconds. Default 30. */
  clockSkewSeconds?: number;
}

/**
 * Whether an approval may still be acted on: its `valid_until` has not passed,
 * give or take the clock-skew allowance. `verifyProof` refuses an approval for
 * which this is false with `proof_expired`.
 */
export function approvalIsCurrent(proof: Pick<Proof, "valid_until">, options: ClockOptions = {}): boolean {
  const now = (options.now ?? new Date()).getTime();
  const skew = (options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
  return Date.parse(proof.valid_until) + skew >= now;
}
