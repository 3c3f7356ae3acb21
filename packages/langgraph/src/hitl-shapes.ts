/**
 * The shapes of `humanInTheLoopMiddleware` (langchain): what it interrupts
 * with and what it resumes with. Declared here so this package needs no
 * `langchain` dependency; they match `HITLRequest` and `HITLResponse`.
 */
export interface HitlActionRequest {
  name: string;
  args: Record<string, unknown>;
  description?: string;
}
export interface HitlRequest {
  actionRequests: HitlActionRequest[];
  reviewConfigs: { actionName: string; allowedDecisions: ("approve" | "edit" | "reject")[] }[];
}
export type HitlDecision =
  | { type: "approve" }
  | { type: "edit"; editedAction: { name: string; args: Record<string, unknown> } }
  | { type: "reject"; message?: string };
export interface HitlResponse {
  decisions: HitlDecision[];
}

/**
 * The agent-state key where `reviewHitlRequest` records which Countersign
 * pause approved which tool call, for `countersignMiddleware` to claim it
 * right before the tool runs. Private (leading `_`): not part of the agent's
 * input or output.
 */
export const HITL_PAUSES_KEY = "_countersignHitlPauses";

/**
 * Written into the pause's context and its idempotency key. Not `langgraph`:
 * a tool that is also wrapped with `withApproval` gets a pause of its own.
 */
export const HITL_FRAMEWORK = "langgraph-hitl";

/** Tool call id → the pause whose approval it runs under. */
export type HitlPauses = Record<string, string>;

export function isHitlRequest(value: unknown): value is HitlRequest {
  if (typeof value !== "object" || value === null) return false;
  const { actionRequests, reviewConfigs } = value as Partial<HitlRequest>;
  return Array.isArray(actionRequests) && Array.isArray(reviewConfigs);
}
