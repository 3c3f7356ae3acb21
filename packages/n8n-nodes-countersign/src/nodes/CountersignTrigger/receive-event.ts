import { isCountersignError, parseJson, verifyWebhookSignature } from "@countersign/verify";
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from "n8n-workflow";
import type { RegisteredEndpoint } from "./endpoint-registration.ts";

/**
 * Starts the workflow with a Countersign event, only after its Standard
 * Webhooks signature verifies (constant time, fresh timestamp) with the
 * secret of the endpoint this workflow registered. Anything else is answered
 * 401 and starts nothing. An event type not chosen is acknowledged (200) and
 * ignored, so the server does not retry it.
 */
export async function receiveEvent(context: IWebhookFunctions): Promise<IWebhookResponseData> {
  const response = context.getResponseObject();
  const refuse = (code: string, message: string): IWebhookResponseData => {
    context.logger.warn(`Countersign Trigger refused a delivery (${code}): ${message}`);
    response.status(401).json({ error: message, code });
    return { noWebhookResponse: true };
  };
  const stored = context.getWorkflowStaticData("node") as RegisteredEndpoint;
  if (typeof stored.secret !== "string")
    return refuse("not_registered", "No endpoint is registered for this workflow");
  let event: IDataObject;
  try {
    const body = await rawBody(context);
    await verifyWebhookSignature(body, context.getHeaderData() as Record<string, string>, stored.secret);
    event = parseJson(body) as IDataObject;
  } catch (error) {
    if (isCountersignError(error)) return refuse(error.code, error.message);
    return refuse("webhook_malformed", (error as Error).message);
  }
  const wanted = context.getNodeParameter("events", []) as string[];
  if (typeof event.type !== "string" || !wanted.includes(event.type)) {
    return { webhookResponse: { received: true, ignored: event.type ?? null } };
  }
  return { workflowData: [[{ json: event }]] };
}

/** The exact bytes that were signed (n8n keeps them as `rawBody`); a re-serialised body could differ. */
async function rawBody(context: IWebhookFunctions): Promise<string> {
  const request = context.getRequestObject() as unknown as {
    rawBody?: Buffer;
    readRawBody?: () => Promise<void>;
  };
  if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === "function")
    await request.readRawBody();
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody.toString("utf8");
  throw new Error("The request body was not available to verify");
}
