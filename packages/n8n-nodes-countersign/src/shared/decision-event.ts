import {
  CountersignError,
  isCountersignError,
  MAX_JSON_DEPTH,
  type Proof,
  parseJson,
} from "@countersign/verify";
import type { Pause } from "./wire-types.ts";

/** Body of a Countersign webhook delivery. */
export interface DecisionEvent {
  type: "pause.decided";
  timestamp: string;
  data: { pause: Pause; proof: Proof | null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function malformed(message: string): CountersignError {
  return new CountersignError("webhook_malformed", message);
}

/**
 * Parses a body whose signature has already been checked, with the parser
 * every Countersign verifier uses (no duplicate or `__proto__`-like members).
 * Only the fields the node relies on are checked here; the proof is checked by
 * `verifyProof`.
 */
export function parseDecisionEvent(body: string): DecisionEvent {
  let value: unknown;
  try {
    // The proof sits two levels down (data.proof): allow them on top of a proof's own limit.
    value = parseJson(body, "webhook body", { maxDepth: MAX_JSON_DEPTH + 2 });
  } catch (error) {
    throw isCountersignError(error) ? malformed(error.message) : error;
  }
  if (!isRecord(value) || value.type !== "pause.decided" || !isRecord(value.data)) {
    throw malformed("The webhook body is not a pause.decided event");
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
    throw malformed("The webhook event carries no valid pause");
  }
  if (proof !== null && proof !== undefined && !isRecord(proof)) {
    throw malformed("The webhook event's proof is not an object");
  }
  return value as unknown as DecisionEvent;
}
