import {
  CountersignError,
  createToolGate,
  type Recipient,
  type Risk,
  type ToolCall,
} from "@countersign/core";
import type { RunnableConfig } from "@langchain/core/runnables";
import { Command } from "@langchain/langgraph";
import type { ApprovalClient, WithApprovalOptions } from "./approval-options.ts";
import { hitlDescription } from "./hitl-description.ts";
import {
  HITL_FRAMEWORK,
  HITL_PAUSES_KEY,
  type HitlActionRequest,
  type HitlDecision,
  type HitlPauses,
  type HitlRequest,
  type HitlResponse,
  isHitlRequest,
} from "./hitl-shapes.ts";
import { type PendingToolCall, toolCallsOfRequests } from "./hitl-tool-calls.ts";
import { toActionData } from "./pause-request.ts";
import { refusalText } from "./tool-messages.ts";

export interface ReviewHitlRequestOptions {
  client?: ApprovalClient;
  url?: string;
  apiKey?: string;
  agentId: string;
  risk?: Risk;
  recipients?: Recipient[];
  expiresIn?: number;
  /** Overall limit for the wait; past it the review fails with code `timeout`. */
  timeoutMs?: number;
  signal?: AbortSignal;
  verify?: WithApprovalOptions["verify"];
}

/** The graph `reviewHitlRequest` reads: `agent.graph` of a `createAgent` agent. */
export interface HitlReviewGraph {
  getState(config: RunnableConfig): Promise<object>;
  /** The compiled graph's state channels: `countersignMiddleware(options)` adds one. */
  channels?: Record<string, unknown>;
}

/**
 * Resumes a `humanInTheLoopMiddleware` interrupt: the decisions keyed by the
 * interrupt's id, and the tool call → pause record `countersignMiddleware` claims from.
 */
export type HitlResumeCommand = Command<Record<string, HitlResponse>, Record<string, HitlPauses>, never>;

/**
 * Answers the `humanInTheLoopMiddleware` interrupt a thread waits at through
 * Countersign: one pause per tool call (idempotent on thread, tool call and
 * arguments, titled from the tool and its key arguments), a wait for the
 * decisions, and verified proofs turned into the middleware's decisions
 * (approve, edit with the signed arguments, reject with the reason).
 *
 * Nothing is spent here: the returned `Command` also records which pause
 * approved which tool call, and `countersignMiddleware(options)` claims that
 * pause right before the tool runs. So the tool runs at most once, even when
 * the same `Command` is sent twice or replayed from an older checkpoint.
 *
 * @example
 * const command = await reviewHitlRequest(agent.graph, config, { client, agentId, verify })
 * await agent.invoke(command, config)
 */
export async function reviewHitlRequest(
  graph: HitlReviewGraph,
  config: RunnableConfig,
  options: ReviewHitlRequestOptions,
): Promise<HitlResumeCommand> {
  const threadId = config.configurable?.thread_id;
  if (typeof threadId !== "string" || threadId === "") {
    throw new CountersignError("invalid_request", "reviewHitlRequest needs config.configurable.thread_id");
  }
  if (graph.channels !== undefined && !(HITL_PAUSES_KEY in graph.channels)) {
    throw new CountersignError(
      "invalid_request",
      "reviewHitlRequest needs countersignMiddleware({ client, verify }) in the agent's middleware: it claims each approval before the tool runs",
    );
  }
  const snapshot = (await graph.getState(config)) as { values?: { messages?: unknown }; tasks?: unknown };
  const pending = hitlInterrupt(snapshot.tasks);
  const toolCalls = toolCallsOfRequests(snapshot.values?.messages, pending.request.actionRequests);
  const pauses: HitlPauses = {};
  const decisions = await Promise.all(
    pending.request.actionRequests.map(async (actionRequest, index) => {
      const toolCall = toolCalls[index]!;
      const review = pending.request.reviewConfigs.find((entry) => entry.actionName === actionRequest.name);
      const editAllowed = review?.allowedDecisions.includes("edit") ?? false;
      const reviewed = await reviewOne(actionRequest, toolCall, threadId, editAllowed, options);
      if (reviewed.pauseId !== undefined) pauses[toolCall.id] = reviewed.pauseId;
      return reviewed.decision;
    }),
  );
  return new Command({
    resume: { [pending.id]: { decisions } },
    update: { [HITL_PAUSES_KEY]: pauses },
  }) as HitlResumeCommand;
}

function hitlInterrupt(tasks: unknown): { id: string; request: HitlRequest } {
  const found: { id: string; request: HitlRequest }[] = [];
  for (const task of Array.isArray(tasks) ? tasks : []) {
    for (const pending of Array.isArray(task?.interrupts) ? task.interrupts : []) {
      if (typeof pending?.id === "string" && isHitlRequest(pending.value)) {
        found.push({ id: pending.id, request: pending.value });
      }
    }
  }
  if (found.length !== 1) {
    throw new CountersignError(
      "not_found",
      found.length === 0
        ? "No humanInTheLoopMiddleware interrupt is waiting in this thread"
        : "More than one humanInTheLoopMiddleware interrupt is waiting in this thread",
    );
  }
  return found[0]!;
}

async function reviewOne(
  actionRequest: HitlActionRequest,
  toolCall: PendingToolCall,
  threadId: string,
  editAllowed: boolean,
  options: ReviewHitlRequestOptions,
): Promise<{ decision: HitlDecision; pauseId?: string }> {
  const name = actionRequest.name;
  const description = hitlDescription(actionRequest);
  const gate = createToolGate({
    ...options,
    framework: HITL_FRAMEWORK,
    ...(description === undefined ? {} : { description }),
  });
  const call: ToolCall = {
    toolName: name,
    callId: toolCall.id,
    scope: threadId,
    args: toActionData(actionRequest.args),
    context: { thread_id: threadId, middleware: "humanInTheLoopMiddleware" },
  };
  const wait = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const opened = await gate.open(call, wait);
  const verdict = await gate.verify(opened, await gate.wait(opened, wait));
  if (verdict.kind === "refuse") return { decision: reject(refusalText(name, verdict.refusal)) };
  const pauseId = verdict.pause.pause_id;
  if (verdict.proof.data === null) return { decision: { type: "approve" }, pauseId };
  if (!editAllowed) {
    return {
      decision: reject(
        `The reviewer approved ${name} only with changed arguments, which it does not accept, so it was NOT performed.`,
      ),
    };
  }
  return { decision: { type: "edit", editedAction: { name, args: verdict.proof.data } }, pauseId };
}

function reject(message: string): HitlDecision {
  return { type: "reject", message };
}
