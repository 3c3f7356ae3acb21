import { VerificationError } from "./verification-error.ts";
import type { Pause, Proof } from "./wire-types.ts";

/** Body of a Countersign webhook delivery. */
export interface DecisionEvent {
  type: "pause.decided";
  timestamp: string;
  data: { pause: Pause; proof: Proof | null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses a body whose signature has already been checked. Only the fields the
 * node relies on are checked here; the proof is checked by `verifyDecisionProof`.
 */
export function parseDecisionEvent(body: string): DecisionEvent {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new VerificationError("webhook_malformed", "The webhook body is not JSON");
  }
  if (!isRecord(value) || value.type !== "pause.decided" || !isRecord(value.data)) {
    throw new VerificationError("webhook_malformed", "The webhook body is not a pause.decided event");
  }
  const pause = value.data.pause;
  const proof = value.data.proof;
  if (
    !isRecord(pause) ||
    typeof pause.pause_id !== "string" ||
    typeof pause.status !== "string" ||
    !isRecord(pause.action) ||
    typeof pause.action.type !== "string" ||
    !isRecord(pause.context)
  ) {
    throw new VerificationError("webhook_malformed", "The webhook event carries no valid pause");
  }
  if (proof !== null && proof !== undefined && !isRecord(proof)) {
    throw new VerificationError("webhook_malformed", "The webhook event's proof is not an object");
  }
  return value as unknown as DecisionEvent;
}
