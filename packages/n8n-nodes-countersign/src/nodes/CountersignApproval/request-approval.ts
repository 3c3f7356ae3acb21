import type { IExecuteFunctions, INodeExecutionData } from "n8n-workflow";
import { NodeOperationError, WAIT_INDEFINITELY } from "n8n-workflow";
import { checkDecisionProof } from "../../shared/check-decision-proof.ts";
import { claimPause, openPause } from "../../shared/countersign-api.ts";
import {
  type CountersignCredentials,
  CREDENTIAL_TYPE,
  parseCredentials,
} from "../../shared/countersign-credentials.ts";
import { APPROVED_OUTPUT, decisionItem, routed } from "../../shared/decision-item.ts";
import { buildPauseRequest } from "../../shared/pause-request.ts";
import { isToolReview, type ToolCall, toolCallOf, toolReviewItem } from "../../shared/tool-review.ts";
import { rememberWaitingPause, reserveWaitingSlot } from "../../shared/waiting-pause.ts";
import type { Pause } from "../../shared/wire-types.ts";

export async function readCredentials(context: IExecuteFunctions): Promise<CountersignCredentials> {
  try {
    return parseCredentials(await context.getCredentials(CREDENTIAL_TYPE));
  } catch (error) {
    throw new NodeOperationError(context.getNode(), (error as Error).message);
  }
}

/**
 * Opens a pause for the first input item whose decision is POSTed to this
 * execution's resume URL, and puts the execution to wait.
 *
 * The wait has no deadline on n8n's side on purpose: when n8n's own wait timer
 * fires it resumes the node by passing its input to the *first* output —
 * Approved — which would fail open. Expiry is Countersign's job: an expired
 * pause arrives as a signed webhook like any other decision and goes to Rejected.
 */
export async function requestApproval(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const items = context.getInputData();
  const node = context.getNode();
  const credentials = await readCredentials(context);
  const resumeUrl = String(context.evaluateExpression("{{ $execution.resumeUrl }}", 0));
  const toolCall = isToolReview(node) ? toolCallOf(items[0]) : null;
  if (isToolReview(node) && toolCall === null) {
    throw new NodeOperationError(
      node,
      "Countersign Approval as Human review must be connected between an AI Agent and the tools it gates",
    );
  }
  const request = buildPauseRequest(context, 0, items[0], resumeUrl, toolCall);
  if (!reserveWaitingSlot(context.customData, node)) {
    throw new NodeOperationError(
      node,
      "Countersign Approval needs one custom execution data key to wait, and this execution already uses all ten n8n allows",
    );
  }
  const runIndex = String(context.evaluateExpression("{{ $runIndex }}", 0));
  const callKey = toolCall?.callId ? `:${toolCall.callId}` : "";
  const idempotencyKey = `n8n:${context.getInstanceId()}:${context.getExecutionId()}:${node.id}:${runIndex}${callKey}`;

  const pause = await openPause(context, credentials, request, idempotencyKey);
  rememberWaitingPause(context.customData, node, pause.pause_id);
  if (pause.status !== "pending") return await decidedAtOnce(context, credentials, pause, toolCall);
  await context.putExecutionToWait(WAIT_INDEFINITELY);
  // Not forwarded while waiting; n8n replaces it with the webhook's output on resume.
  return toolCall ? [[]] : [[], []];
}

/** A policy decided when the pause was opened (auto-approve or deny): verify and route without waiting. */
async function decidedAtOnce(
  context: IExecuteFunctions,
  credentials: CountersignCredentials,
  pause: Pause,
  toolCall: ToolCall | null,
): Promise<INodeExecutionData[][]> {
  if (pause.proof !== null) {
    try {
      await checkDecisionProof(pause.proof, credentials, { pauseId: pause.pause_id, action: pause.action });
    } catch (error) {
      throw new NodeOperationError(
        context.getNode(),
        `Countersign decided pause ${pause.pause_id} at once, but its proof does not verify: ${(error as Error).message}`,
      );
    }
  }
  const { output, item } = decisionItem(pause, pause.proof);
  const review = toolCall ? toolReviewItem(item, toolCall.name) : null;
  const runs = review ? review.runs : output === APPROVED_OUTPUT;
  if (runs && pause.proof) {
    await claimPause(context, credentials, pause.pause_id, pause.proof.proof_id);
  }
  return review ? [[review.item]] : routed(output, item);
}
