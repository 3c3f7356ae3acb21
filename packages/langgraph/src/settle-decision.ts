import type { CheckProof } from "@countersign/core";
import {
  type Action,
  type ActionData,
  CountersignError,
  isCountersignError,
  type Pause,
} from "@countersign/core";
import type { ApprovalClient } from "./approval-options.ts";
import type { CallSite } from "./pause-request.ts";
import type { Refusal } from "./tool-messages.ts";

/** What happens to a gated call once its pause is decided. */
export type Settlement =
  | { kind: "run"; args: ActionData }
  | { kind: "refuse"; refusal: Refusal }
  | { kind: "already-ran" };

export interface SettleContext {
  pauseId: string;
  /** The action built from this call's arguments: the proof must be for exactly this. */
  action: Action;
  site: CallSite;
  client: ApprovalClient;
  checkProof: CheckProof;
}

/**
 * Verifies the decision for this very call and, for an approval, claims the
 * pause. Only a `run` settlement lets the tool run, and a pause is claimed
 * once: a replayed or raced resume gets `already-ran`. Every doubt throws.
 */
export async function settleDecision(pause: Pause, context: SettleContext): Promise<Settlement> {
  const { pauseId, site } = context;
  const details = { pauseId, toolCallId: site.toolCallId };
  if (pause.pause_id !== pauseId) {
    throw new CountersignError(
      "proof_wrong_pause",
      `The decision is for pause ${pause.pause_id}, not ${pauseId}; the tool did not run`,
      details,
    );
  }
  if (pause.status === "pending") {
    throw new CountersignError(
      "not_approved",
      `Pause ${pauseId} is still pending; the tool did not run`,
      details,
    );
  }
  if (pause.status === "cancelled") {
    return { kind: "refuse", refusal: { kind: "cancelled", reason: pause.decision?.reason ?? null } };
  }
  if (!pause.proof) {
    if (pause.status === "approved") {
      throw new CountersignError(
        "proof_malformed",
        `Pause ${pauseId} says approved but carries no proof; the tool did not run`,
        details,
      );
    }
    // A denial needs no proof to be obeyed.
    return {
      kind: "refuse",
      refusal: denial(pause.status, pause.decision?.reason ?? null, pause.decision?.decided_by),
    };
  }

  let verified: Awaited<ReturnType<CheckProof>>;
  try {
    verified = await context.checkProof(pause.proof, { pauseId, action: context.action });
  } catch (error) {
    // An authentic approval that ran out of time is an outcome the model should read, not a fault.
    if (isCountersignError(error, "proof_expired")) {
      return { kind: "refuse", refusal: { kind: "approval-expired", validUntil: pause.proof.valid_until } };
    }
    throw withToolCall(error, details);
  }
  const { proof } = verified;
  if (proof.decision !== pause.status) {
    throw new CountersignError(
      "proof_mismatch",
      `Pause ${pauseId} says ${pause.status} but its proof says ${proof.decision}; the tool did not run`,
      details,
    );
  }
  if (proof.decision !== "approved") {
    return { kind: "refuse", refusal: denial(proof.decision, proof.reason, proof.decided_by) };
  }

  try {
    await context.client.claim(pauseId, { proofId: proof.proof_id });
  } catch (error) {
    if (isCountersignError(error, "already_claimed")) return { kind: "already-ran" };
    throw withToolCall(error, details);
  }
  return { kind: "run", args: proof.data ?? context.action.data ?? {} };
}

function denial(
  status: "rejected" | "expired",
  reason: string | null,
  decidedBy?: { kind: string; id: string; rule?: string | undefined },
): Refusal {
  if (status === "expired") return { kind: "expired" };
  if (!decidedBy) return { kind: "rejected", reason };
  const by = { kind: decidedBy.kind, id: decidedBy.id, ...(decidedBy.rule ? { rule: decidedBy.rule } : {}) };
  return { kind: "rejected", reason, decidedBy: by };
}

/** Adds the tool call to a Countersign error that lacks it, and says the tool did not run. */
export function withToolCall(error: unknown, details: { pauseId: string; toolCallId: string }): unknown {
  if (!isCountersignError(error)) return error;
  return new CountersignError(error.code, `${error.message} (${error.code}); the tool did not run`, {
    status: error.status,
    pauseId: error.pauseId ?? details.pauseId,
    toolCallId: details.toolCallId,
    cause: error,
  });
}
