import { awaitDecision, CountersignError, type Pause, type Proof } from "@countersign/core";
import type { RunnableConfig } from "@langchain/core/runnables";
import { Command } from "@langchain/langgraph";
import { type ApprovalClient, resolveClient } from "./approval-options.ts";
import { approvalRequests, type InterruptSource } from "./approval-requests.ts";
import { type DecisionResume, decisionResume } from "./resume-value.ts";

export interface WaitForDecisionOptions {
  client?: Pick<ApprovalClient, "getPause">;
  url?: string;
  apiKey?: string;
  /** Overall limit; then the wait fails with code `timeout` and nothing resumes. Default: an hour and a minute. */
  timeoutMs?: number;
  /** How long the server may be unreachable, in a row, before the wait fails (the thread stays resumable). Default 60 s. */
  outageTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * `Command({ resume })` keyed by interrupt id. Typed to fit any compiled
 * graph's `invoke`: it carries no state update and no `goto`.
 */
export type ApprovalResumeCommand = Command<Record<string, DecisionResume>, Record<string, never>, never>;

/** A decided pause and the interrupt it answers. */
export interface DecidedInterrupt {
  interruptId: string;
  pause: Pause;
}

/**
 * The command that resumes gated calls, each by its interrupt id, with its
 * decided pause. The gated tool verifies the proof itself; this builds no trust.
 */
export function resumeCommand(decided: readonly DecidedInterrupt[]): ApprovalResumeCommand {
  const resume: Record<string, DecisionResume> = {};
  for (const entry of decided) resume[entry.interruptId] = decisionResume(entry.pause);
  return new Command({ resume }) as ApprovalResumeCommand;
}

/**
 * Waits until every Countersign approval in `source` is decided and returns
 * the `Command` that resumes them: `graph.invoke(await waitForDecision(result, { client }), config)`.
 * Throws `not_found` when nothing waits: check `approvalRequests(result)` first
 * (the README's loop does). Network errors are retried with backoff for
 * `outageTimeoutMs`, never silently forever.
 */
export async function waitForDecision(
  source: InterruptSource,
  options: WaitForDecisionOptions,
): Promise<ApprovalResumeCommand> {
  const requests = approvalRequests(source);
  if (requests.length === 0) {
    throw new CountersignError("not_found", "No Countersign approval is waiting in this graph state");
  }
  const client = resolveWaitClient(options);
  const wait = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.outageTimeoutMs === undefined ? {} : { outageTimeoutMs: options.outageTimeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const decided = await Promise.all(
    requests.map(async (request) => ({
      interruptId: request.interruptId,
      pause: await awaitDecision(client, request.pauseId, wait),
    })),
  );
  return resumeCommand(decided);
}

/** What `getState` and `invoke` of a compiled graph (or `createAgent` agent) offer. */
export interface ResumableGraph {
  getState(config: RunnableConfig): Promise<InterruptSource>;
  invoke(input: ApprovalResumeCommand, config: RunnableConfig): Promise<unknown>;
}

/**
 * Resumes a thread once its pending approvals are decided, in this process or
 * another one: the checkpointer holds the state, so only the thread id is needed.
 */
export async function resumeWhenDecided(
  graph: ResumableGraph,
  config: RunnableConfig,
  options: WaitForDecisionOptions,
): Promise<unknown> {
  const command = await waitForDecision(await graph.getState(config), options);
  return graph.invoke(command, config);
}

/**
 * For a webhook handler: the resume for one decided pause (`event.data` of a
 * `pause.decided` webhook), found through the thread id the pause carries.
 * `null` when no interrupt waits for it any more, e.g. a redelivered webhook.
 */
export async function resumeForDecision(
  graph: Pick<ResumableGraph, "getState">,
  decision: { pause: Pause; proof?: Proof | null },
  options: { config?: RunnableConfig } = {},
): Promise<{ config: RunnableConfig; command: ApprovalResumeCommand } | null> {
  const pause =
    decision.proof && !decision.pause.proof ? { ...decision.pause, proof: decision.proof } : decision.pause;
  const threadId = options.config?.configurable?.thread_id ?? pause.context.thread_id;
  if (typeof threadId !== "string") {
    throw new CountersignError("invalid_request", `Pause ${pause.pause_id} names no LangGraph thread`, {
      pauseId: pause.pause_id,
    });
  }
  const config: RunnableConfig = {
    ...options.config,
    configurable: { ...options.config?.configurable, thread_id: threadId },
  };
  const waiting = approvalRequests(await graph.getState(config)).filter(
    (request) => request.pauseId === pause.pause_id,
  );
  if (waiting.length === 0) return null;
  return {
    config,
    command: resumeCommand(waiting.map((request) => ({ interruptId: request.interruptId, pause }))),
  };
}

function resolveWaitClient(options: WaitForDecisionOptions): Pick<ApprovalClient, "getPause"> {
  return options.client ?? resolveClient({ url: options.url, apiKey: options.apiKey });
}
