import {
  type Agent,
  type NonStreamRunOptions,
  type RunResult,
  run,
  type StreamedRunResult,
  type StreamRunOptions,
} from "@openai/agents";
import type { ApprovalSource } from "./gated-interruptions.ts";
import { type ResolveApprovalsOptions, resolveApprovals } from "./resolve-approvals.ts";

// biome-ignore lint/suspicious/noExplicitAny: any agent, any context.
type AnyAgent = Agent<any, any>;

export interface ResumeWithApprovalsOptions extends ResolveApprovalsOptions {
  /** Passed to `run(agent, state, …)` (context, maxTurns, signal, …). */
  // biome-ignore lint/suspicious/noExplicitAny: any context.
  run?: Omit<NonStreamRunOptions<any, AnyAgent>, "stream">;
}

export interface ResumeWithApprovalsStreamOptions extends ResolveApprovalsOptions {
  stream: true;
  // biome-ignore lint/suspicious/noExplicitAny: any context.
  run?: Omit<StreamRunOptions<any, AnyAgent>, "stream">;
}

/**
 * Resolves every gated interruption with a verified human decision (see
 * `resolveApprovals`) and resumes the run with `run(agent, state)`. Works in
 * the process that stopped, or in another one: pass the state restored with
 * `RunState.fromString(agent, saved)`. Resuming the same snapshot twice runs
 * an approved tool once; the second time it reports that it already ran.
 */
export function resumeWithApprovals<TAgent extends AnyAgent>(
  agent: TAgent,
  source: ApprovalSource,
  options?: ResumeWithApprovalsOptions,
  // biome-ignore lint/suspicious/noExplicitAny: any context.
): Promise<RunResult<any, TAgent>>;
export function resumeWithApprovals<TAgent extends AnyAgent>(
  agent: TAgent,
  source: ApprovalSource,
  options: ResumeWithApprovalsStreamOptions,
  // biome-ignore lint/suspicious/noExplicitAny: any context.
): Promise<StreamedRunResult<any, TAgent>>;
export async function resumeWithApprovals(
  agent: AnyAgent,
  source: ApprovalSource,
  options: ResumeWithApprovalsOptions | ResumeWithApprovalsStreamOptions = {},
  // biome-ignore lint/suspicious/noExplicitAny: any context.
): Promise<RunResult<any, AnyAgent> | StreamedRunResult<any, AnyAgent>> {
  const { state } = await resolveApprovals(source, options);
  if ("stream" in options && options.stream) return run(agent, state, { ...options.run, stream: true });
  return run(agent, state, { ...options.run, stream: false });
}
