import type { ActionData } from "../../protocol/action.ts";
import type { Pause } from "../../protocol/pause.ts";
import type { Proof } from "../../protocol/proof.ts";

/** Why a call does not run, in words the model (and a person reading the transcript) understands. */
export type Refusal =
  | {
      kind: "rejected";
      reason: string | null;
      /** Who decided; `rule` names the policy rule when policy denied it. */
      decidedBy: { kind: string; id: string; rule?: string } | null;
    }
  | { kind: "expired" }
  | { kind: "cancelled"; reason: string | null }
  /** Approved, but the proof's `valid_until` passed before the tool could run. */
  | { kind: "approval-expired"; validUntil: string };

/** A verified decision for one call, before the claim. */
export type Verdict =
  | { kind: "approved"; args: ActionData; pause: Pause; proof: Proof }
  | { kind: "refuse"; refusal: Refusal; pause: Pause; message: string };

/** What the adapter does with the call: run it with `args`, tell the model it did not run, or that it already ran. */
export type GateOutcome =
  | { kind: "run"; args: ActionData; pause: Pause; proof: Proof }
  | { kind: "refuse"; refusal: Refusal; pause: Pause; message: string }
  | { kind: "already-ran"; pause: Pause; message: string };

/** The tool result the model reads when a call is refused. */
export function refusalMessage(toolName: string, refusal: Refusal): string {
  switch (refusal.kind) {
    case "rejected":
      return `Not run: a reviewer rejected ${toolName}${refusal.reason ? `. Reason: ${refusal.reason}` : "."}`;
    case "expired":
      return `Not run: the approval request for ${toolName} expired before anyone decided.`;
    case "cancelled":
      return `Not run: the approval request for ${toolName} was cancelled${refusal.reason ? `: ${refusal.reason}` : "."}`;
    case "approval-expired":
      return `Not run: the approval for ${toolName} was valid until ${refusal.validUntil} and has lapsed. Ask again if it is still needed.`;
  }
}

export function alreadyRanMessage(toolName: string, pauseId: string): string {
  return `Not run again: this approved ${toolName} call (pause ${pauseId}) has already been executed once.`;
}
