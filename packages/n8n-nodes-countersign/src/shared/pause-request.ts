import type { Action, ActionData, JsonValue } from "@countersign/verify";
import type { IExecuteFunctions, INodeExecutionData } from "n8n-workflow";
import { NodeOperationError } from "n8n-workflow";
import type { ToolCall } from "./tool-review.ts";

/** Body of `POST /v1/pauses` (protocol v1). */
export interface PauseRequest {
  agent_id: string;
  action: Action;
  recipients?: { channel: "slack" | "email" | "web"; target: string }[];
  webhook_url: string;
  expires_in: number;
  context: { [key: string]: JsonValue };
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };
const MAX_EXPIRES_IN_SECONDS = 30 * 86_400;
const RISKS = ["low", "medium", "high", "critical"];

function isJsonObject(value: unknown): value is ActionData {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The node's fields for one item, as a pause request whose decision is POSTed
 * to `webhookUrl`. For an AI Agent's tool call (`toolCall`), the data is the
 * call's arguments — exactly what the tool will run with — and an empty
 * Action Type, Title or Body falls back to the tool's name and n8n's Message.
 */
export function buildPauseRequest(
  context: IExecuteFunctions,
  itemIndex: number,
  item: INodeExecutionData | undefined,
  webhookUrl: string,
  toolCall: ToolCall | null = null,
): PauseRequest {
  const parameter = (name: string, fallback: unknown = "") =>
    context.getNodeParameter(name, itemIndex, fallback);
  const fail = (message: string) => new NodeOperationError(context.getNode(), message, { itemIndex });

  const actionType = String(parameter("actionType")).trim() || (toolCall?.name ?? "");
  if (actionType === "") throw fail("Action Type is required (for example refund or payment)");
  const action: Action = { type: actionType };
  const fallbacks = {
    title: toolCall ? `The agent wants to run ${toolCall.name}` : "",
    description: "",
    body: toolCall ? String(parameter("message")).trim() : "",
  };
  for (const field of ["title", "description", "body"] as const) {
    const value = String(parameter(field)).trim() || fallbacks[field];
    if (value !== "") action[field] = value;
  }
  const data = toolCall ? toolCall.arguments : actionData(context, itemIndex, item, fail);
  if (data !== undefined) action.data = data;
  const risk = String(parameter("risk"));
  if (RISKS.includes(risk)) action.risk = risk as Action["risk"];

  const unit = UNIT_SECONDS[String(parameter("expiresUnit", "hours"))] ?? 3600;
  const expiresIn = Math.round(Number(parameter("expiresAmount", 1)) * unit);
  if (!Number.isFinite(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN_SECONDS) {
    throw fail("Expires After must be between 1 second and 30 days");
  }

  const recipients = (
    (parameter("recipients", {}) as { recipient?: { channel?: string; target?: string }[] }).recipient ?? []
  )
    .map((entry) => ({
      channel: entry.channel as "slack" | "email" | "web",
      target: String(entry.target ?? "").trim(),
    }))
    .filter((entry) => entry.target !== "");

  const node = context.getNode();
  return {
    agent_id: String(parameter("agentId", "n8n")).trim() || "n8n",
    action,
    ...(recipients.length > 0 && { recipients }),
    webhook_url: webhookUrl,
    expires_in: expiresIn,
    context: {
      framework: "n8n",
      n8n_workflow_id: context.getWorkflow().id ?? null,
      n8n_execution_id: context.getExecutionId() ?? null,
      n8n_node: node.name,
      ...(toolCall && { tool_name: toolCall.name, tool_call_id: toolCall.callId }),
    },
  };
}

function actionData(
  context: IExecuteFunctions,
  itemIndex: number,
  item: INodeExecutionData | undefined,
  fail: (message: string) => Error,
): ActionData | undefined {
  const source = String(context.getNodeParameter("dataSource", itemIndex, "incomingItem"));
  if (source === "none") return undefined;
  if (source === "incomingItem") {
    // Round-trip through JSON so what is approved is exactly what the server will see.
    return JSON.parse(JSON.stringify(item?.json ?? {})) as ActionData;
  }
  const raw = context.getNodeParameter("dataJson", itemIndex, "{}");
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw fail("Data (JSON) is not valid JSON");
    }
  }
  if (!isJsonObject(value)) throw fail("Data (JSON) must be a JSON object");
  return value;
}
