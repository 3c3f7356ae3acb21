import type { Approval } from "./approval.ts";
import type { Problem } from "./problem.ts";

/** How the approved action ended, for the receipt. */
export type Outcome = { outcome: "succeeded" } | { outcome: "failed"; error?: unknown };

/** Approved and claimed: run the action now, then `finish` (once) with how it ended. */
export interface ApprovedVerdict {
  ok: true;
  approval: Approval;
  /** Records the execution receipt (with the result given to `approval.setResult`). Never throws; a second call does nothing. */
  finish(outcome: Outcome): Promise<void>;
}

/** Refused: answer with `status` and `problem` (as `application/problem+json`); the action must not run. */
export interface RefusedVerdict {
  ok: false;
  status: number;
  problem: Problem;
}

export type Verdict = ApprovedVerdict | RefusedVerdict;
