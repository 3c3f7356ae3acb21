import { CountersignError, isCountersignError, verifyWebhookSignature } from "@countersign/verify";
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from "n8n-workflow";
import { NodeApiError } from "n8n-workflow";
import { checkDecisionProof } from "../../shared/check-decision-proof.ts";
import { claimPause } from "../../shared/countersign-api.ts";
import { CREDENTIAL_TYPE, parseCredentials } from "../../shared/countersign-credentials.ts";
import { parseDecisionEvent } from "../../shared/decision-event.ts";
import { APPROVED_OUTPUT, decisionItem, routed } from "../../shared/decision-item.ts";
import { isToolReview, toolReviewItem } from "../../shared/tool-review.ts";
import { waitingPauseOf } from "../../shared/waiting-pause.ts";

/**
 * Resumes the waiting execution with a decision, after checking, in order:
 * the Standard Webhooks signature over the exact body bytes (and its age),
 * that the event is for the pause this execution waits for, and the proof.
 * An approval is then claimed (single use) before it may continue on Approved.
 *
 * Anything else is answered 401 with no `workflowData`: n8n then leaves the
 * execution waiting, untouched. This never throws — a throw would make n8n
 * resume the execution with an error instead of keeping it paused.
 */
export async function receiveDecision(context: IWebhookFunctions): Promise<IWebhookResponseData> {
  const response = context.getResponseObject();
  const refuse = (status: number, code: string, message: string): IWebhookResponseData => {
    context.logger.warn(`Countersign Approval refused a webhook (${code}): ${message}`);
    response.status(status).json({ error: message, code });
    return { noWebhookResponse: true };
  };

  let credentials: ReturnType<typeof parseCredentials>;
  try {
    credentials = parseCredentials(await context.getCredentials(CREDENTIAL_TYPE));
  } catch (error) {
    return refuse(500, "credentials_unusable", (error as Error).message);
  }

  try {
    const body = await rawBody(context);
    await verifyWebhookSignature(
      body,
      context.getHeaderData() as IDataObject as Record<string, string>,
      credentials.webhookSecret,
    );
    const event = parseDecisionEvent(body);
    const { pause, proof } = event.data;
    const expected = waitingPauseOf(context.customData, context.getNode());
    if (expected === undefined || pause.pause_id !== expected) {
      throw new CountersignError(
        "webhook_wrong_pause",
        `The decision is for pause ${pause.pause_id}, but this execution waits for ${expected ?? "no pause"}`,
      );
    }
    if (pause.status === "pending") {
      throw new CountersignError("webhook_malformed", "The event's pause is still pending");
    }
    if (proof) {
      await checkDecisionProof(proof, credentials, { pauseId: expected, action: pause.action });
      if (proof.decision !== pause.status) {
        throw new CountersignError(
          "webhook_malformed",
          `The pause says ${pause.status} but its proof says ${proof.decision}`,
        );
      }
    } else if (pause.status !== "cancelled") {
      throw new CountersignError("proof_missing", `A ${pause.status} decision must carry a proof`);
    }
    const { output, item } = decisionItem(pause, proof ?? null);
    // As an AI Agent's Human review: one output, read by the agent (see tool-review.ts).
    const review = isToolReview(context.getNode())
      ? toolReviewItem(item, String(pause.context.tool_name ?? pause.action.type))
      : null;
    const runs = review ? review.runs : output === APPROVED_OUTPUT;
    if (runs && proof) {
      try {
        await claimPause(context, credentials, pause.pause_id, proof.proof_id);
      } catch (error) {
        const conflict = error instanceof NodeApiError && error.httpCode === "409";
        return refuse(
          conflict ? 409 : 503,
          conflict ? "already_claimed" : "claim_failed",
          (error as Error).message,
        );
      }
    }
    return {
      webhookResponse: { received: true, pause_id: pause.pause_id },
      workflowData: review ? [[review.item]] : routed(output, item),
    };
  } catch (error) {
    if (isCountersignError(error)) return refuse(401, error.code, error.message);
    return refuse(500, "internal_error", `Could not process the decision: ${(error as Error).message}`);
  }
}

/**
 * The exact bytes that were signed. n8n keeps them as `rawBody` on the
 * request; re-serialising the parsed body could differ from what was signed.
 */
async function rawBody(context: IWebhookFunctions): Promise<string> {
  const request = context.getRequestObject() as unknown as {
    rawBody?: Buffer;
    readRawBody?: () => Promise<void>;
  };
  if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === "function") {
    await request.readRawBody();
  }
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody.toString("utf8");
  throw new CountersignError("webhook_malformed", "The request body was not available to verify");
}
