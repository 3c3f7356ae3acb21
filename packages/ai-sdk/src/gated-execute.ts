import {
  CountersignError,
  isCountersignError,
  type Proof,
  runApprovedCall,
  runWithReceipt,
} from "@countersign/core";
import { fromActionData } from "./action-data.ts";
import { parseEditedInput } from "./edited-input.ts";
import { findApproval } from "./find-approval.ts";
import { type Gate, requiresApproval } from "./gate.ts";
import type { MessageLike } from "./message-parts.ts";
import { pauseRequestFor } from "./pause-request.ts";
import { denialReason, verifyDecision } from "./verify-decision.ts";

/** The part of the SDK's tool execution options the gate reads (same in v6 and v7). */
export interface ExecutionOptionsLike {
  toolCallId: string;
  messages: readonly MessageLike[];
  abortSignal?: AbortSignal;
}

/** Any tool `execute`, whatever its input type: `never` parameters accept every function. */
export type ExecuteFunction = (input: never, options: never) => unknown;

/**
 * Wraps a tool's `execute` so a gated call runs only with a verified, unclaimed
 * Countersign approval for exactly this call, and with the arguments the
 * approver approved. The SDK's own approval response is never trusted.
 */
export function gateExecute(gate: Gate, execute: ExecuteFunction): ExecuteFunction {
  const gated = async (input: unknown, options: ExecutionOptionsLike) => {
    const run = async (runInput: unknown) =>
      finalOutput(await (execute as (input: unknown, options: unknown) => unknown)(runInput, options));
    if (!(await requiresApproval(gate, input))) return run(input);
    const { pauseId, proof, runInput } = await authorize(gate, input, options);
    const runTool = () => runApprovedCall(pauseId, proof, () => run(runInput));
    // A proof-gated service claimed the approval and records the receipt.
    if (gate.options.claimedBy === "service") return runTool();
    return runWithReceipt(gate.client, pauseId, runTool, gate.options.onReceiptError);
  };
  return gated as ExecuteFunction;
}

async function authorize(
  gate: Gate,
  input: unknown,
  options: ExecutionOptionsLike,
): Promise<{ pauseId: string; proof: Proof; runInput: unknown }> {
  const { client } = gate;
  const { toolCallId, abortSignal: signal } = options;
  const found = findApproval(options.messages ?? [], toolCallId);
  if (!found) {
    throw new CountersignError(
      "not_approved",
      `Tool call ${toolCallId} needs a Countersign approval, and no approval request was answered for it`,
      { toolCallId },
    );
  }
  const { request, idempotencyKey } = await pauseRequestFor(gate.options, { ...found, toolCallId, input });
  // Same key and body as when the approval was requested: the server returns that pause.
  const pause = await client.createPause(request, { idempotencyKey, signal }).catch((error: unknown) => {
    if (!isCountersignError(error, "idempotency_conflict")) throw error;
    throw new CountersignError(
      "not_approved",
      `Tool call ${toolCallId} does not match the call that was sent for approval (${found.approvalId})`,
      { toolCallId, cause: error },
    );
  });
  const ids = { pauseId: pause.pause_id, toolCallId };
  if (pause.status === "pending") {
    throw new CountersignError(
      "not_approved",
      `Pause ${pause.pause_id} is still waiting for a decision`,
      ids,
    );
  }
  const decision = await verifyDecision(gate.checkProof, pause, request.action);
  if (!decision.approved || decision.proofId === null || !pause.proof) {
    throw new CountersignError(
      "not_approved",
      `The call was ${decision.status}: ${denialReason(decision)}`,
      ids,
    );
  }
  const { edits } = decision;
  const runInput =
    edits === null ? input : await parseEditedInput(gate.inputSchema, fromActionData(edits, input), ids);
  // The claim is what makes "at most once" hold when the same approval is replayed or
  // raced: here, or in the proof-gated service the tool forwards the proof to.
  if (gate.options.claimedBy !== "service") {
    await client.claim(pause.pause_id, { proofId: decision.proofId, signal });
  }
  return { pauseId: pause.pause_id, proof: pause.proof, runInput };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** A streaming tool's last value is its output; the gate returns it whole. */
async function finalOutput(output: unknown): Promise<unknown> {
  if (!isAsyncIterable(output)) return output;
  let last: unknown;
  for await (const value of output) last = value;
  return last;
}
