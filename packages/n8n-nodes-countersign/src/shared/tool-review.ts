import type { ActionData } from "@countersign/verify";
import type { INode, INodeExecutionData } from "n8n-workflow";
import type { DecisionJson } from "./decision-item.ts";

// n8n (2.x) gives every node with webhooks and a `sendAndWait` operation a
// "Human review" variant, `<type>HitlTool`, that sits between an AI Agent and
// the tools it gates. When the agent calls a gated tool, n8n runs this node
// with the call as its input item; when the node resumes, the agent reads
// `approved` from its one output: `true` runs the gated tool with the model's
// ORIGINAL arguments, anything else makes the call a refusal whose text quotes
// `chatInput` to the model. (@n8n/n8n-nodes-langchain processHitlResponses.)

/** n8n-workflow's `isHitlToolType`, inlined: the node must still load on an n8n without it. */
export function isToolReview(node: INode): boolean {
  return node.type.endsWith("HitlTool");
}

export interface ToolCall {
  name: string;
  /** The arguments the gated tool will run with if approved. */
  arguments: ActionData;
  callId: string | null;
}

/** The gated call, as n8n hands it to the review node: `tool`, `toolParameters`, `toolCallId`. */
export function toolCallOf(item: INodeExecutionData | undefined): ToolCall | null {
  const json = item?.json ?? {};
  if (typeof json.tool !== "string" || json.tool === "") return null;
  const parameters = json.toolParameters;
  // Round-trip through JSON so what is approved is exactly what the server will see.
  const args =
    typeof parameters === "object" && parameters !== null && !Array.isArray(parameters)
      ? (JSON.parse(JSON.stringify(parameters)) as ActionData)
      : ({ input: (parameters ?? null) as ActionData[string] } as ActionData);
  return {
    name: json.tool,
    arguments: args,
    callId: typeof json.toolCallId === "string" ? json.toolCallId : null,
  };
}

/**
 * The review node's single output for the agent. Only an unedited, verified
 * and claimed approval says `approved: true`. n8n runs an approved tool with
 * the model's original arguments and cannot take an approver's edits, so an
 * approval with edits is NOT run: the agent is told the approved arguments
 * and may call the tool again with them, which asks for a new approval.
 */
export function toolReviewItem(
  decision: INodeExecutionData,
  toolName: string,
): { item: INodeExecutionData; runs: boolean } {
  const json = decision.json as DecisionJson;
  const runs = json.approved && !json.edited;
  const feedback = runs ? null : refusalText(json, toolName);
  return {
    item: {
      ...decision,
      json: { ...json, approved: runs, ...(feedback !== null && { chatInput: feedback }) },
    },
    runs,
  };
}

function refusalText(json: DecisionJson, toolName: string): string {
  const by = json.approver?.kind === "human" ? ` by ${json.approver.id}` : "";
  if (json.approved) {
    return (
      `A reviewer${by} approved ${toolName} in Countersign only with changed arguments: ${JSON.stringify(json.data)}. ` +
      `The original call was not run. To go ahead, call ${toolName} again with exactly these arguments; that call needs its own approval.`
    );
  }
  const reason = json.reason ? `: ${json.reason}` : "";
  switch (json.decision) {
    case "expired":
      return `The call to ${toolName} was not approved in time and was not run (Countersign${reason || ": the request expired"}).`;
    case "cancelled":
      return `The approval request for ${toolName} was cancelled${reason}; the call was not run.`;
    default:
      return `A reviewer${by} rejected the call to ${toolName} in Countersign${reason || " (no reason given)"}. It was not run.`;
  }
}
