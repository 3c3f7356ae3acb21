import type { ActionData } from "../../protocol/action.ts";

/** One call of a gated tool, as every framework adapter describes it to the gate. */
export interface ToolCall {
  toolName: string;
  /** The framework's tool call id. */
  callId: string;
  /**
   * What makes this call unique beyond its id: the LangGraph thread, the
   * OpenAI Agents run, the AI SDK approval id. Call ids repeat across runs
   * (fixtures, custom models, some providers), so a key without a scope could
   * hand one run's approval to another.
   */
  scope: string;
  /** The call's arguments as JSON: what the approver reads and what the proof's digest covers. */
  args: ActionData;
  /** More for the pause's `context`, e.g. LangGraph's `thread_id` (it finds the thread from a webhook). */
  context?: Record<string, string>;
}
