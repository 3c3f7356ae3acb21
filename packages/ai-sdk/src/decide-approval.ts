import { awaitDecision, CountersignError, type Pause } from "@countersign/core";
import type { Gate } from "./gate.ts";
import type { ApprovalResponsePart } from "./message-parts.ts";
import { type GatedCall, pauseRequestFor } from "./pause-request.ts";
import { denialReason, type VerifiedDecision, verifyDecision } from "./verify-decision.ts";

export interface WaitOptions {
  /**
   * How long to wait for the human, per approval. Default: an hour and a minute
   * (the server's default pause lifetime). `0`: do not wait; a pending pause is
   * an error (`not_approved`).
   */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DecidedApproval {
  response: ApprovalResponsePart;
  decision: VerifiedDecision;
}

/** Opens the pause for a call (again: idempotent), without waiting. */
export async function openPause(gate: Gate, call: GatedCall, signal?: AbortSignal): Promise<Pause> {
  const { request, idempotencyKey } = await pauseRequestFor(gate.options, call);
  return gate.client.createPause(request, { idempotencyKey, signal });
}

/**
 * Opens (or finds) the pause for a call, waits for the human, verifies the
 * proof and turns the decision into the SDK's `tool-approval-response`.
 * A proof that does not verify throws: it is never read as a decision.
 */
export async function decideApproval(
  gate: Gate,
  call: GatedCall,
  options: WaitOptions = {},
): Promise<DecidedApproval> {
  const { client } = gate;
  const { request, idempotencyKey } = await pauseRequestFor(gate.options, call);
  let pause = await client.createPause(request, { idempotencyKey, signal: options.signal });
  if (pause.status === "pending" && options.timeoutMs === 0) {
    throw new CountersignError("not_approved", `Pause ${pause.pause_id} is still waiting for a decision`, {
      pauseId: pause.pause_id,
      toolCallId: call.toolCallId,
    });
  }
  if (pause.status === "pending") {
    // Bounded: a default timeout, and an outage fails after a minute instead of retrying forever.
    pause = await awaitDecision(client, pause.pause_id, {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
  const decision = await verifyDecision(gate.checkProof, pause, request.action);
  const response: ApprovalResponsePart = {
    type: "tool-approval-response",
    approvalId: call.approvalId,
    approved: decision.approved,
  };
  const reason = decision.approved ? decision.reason : denialReason(decision);
  if (reason) response.reason = reason;
  return { response, decision };
}
