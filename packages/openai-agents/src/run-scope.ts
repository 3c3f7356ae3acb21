import { Agent, type RunContext, RunToolApprovalItem } from "@openai/agents";

/**
 * The run an approval belongs to. Call ids repeat across runs (fixtures,
 * custom models, some providers), so the pause key needs a run scope, and it
 * must survive `state.toString()` / `RunState.fromString()` so a replayed
 * snapshot is still the same run. The SDK serializes the run context's
 * approval record, so the scope is kept there, as a completed approval of a
 * reserved name no tool can have. Written by the gated tool's `needsApproval`
 * when the run first stops, read back through `RunContext.toJSON()`.
 */
const RUN_SCOPE_NAME = "countersign.run";
const owner = new Agent({ name: "countersign-run-scope" });

// biome-ignore lint/suspicious/noExplicitAny: any context.
type AnyRunContext = RunContext<any>;

export function runScopeOf(runContext: AnyRunContext): string | undefined {
  const approvals = (runContext.toJSON() as { approvals?: Record<string, { approved?: unknown }> }).approvals;
  const approved = approvals?.[RUN_SCOPE_NAME]?.approved;
  return Array.isArray(approved) && typeof approved[0] === "string" ? approved[0] : undefined;
}

/** The run's scope, created the first time a gated call of this run needs a human. */
export function ensureRunScope(runContext: AnyRunContext): string {
  const existing = runScopeOf(runContext);
  if (existing !== undefined) return existing;
  const scope = `run_${crypto.randomUUID()}`;
  const marker = new RunToolApprovalItem(
    { type: "hosted_tool_call", name: RUN_SCOPE_NAME, id: scope, status: "completed" },
    owner,
  );
  runContext.approveTool(marker);
  return scope;
}
