import {
  type Action,
  CountersignError,
  canonicalJson,
  createProofChecker,
  isCountersignError,
  type Pause,
} from "@countersign/core";
import type { ToolCall, ToolMessage } from "@langchain/core/messages";
import {
  type DynamicStructuredTool,
  tool as defineTool,
  type StructuredToolInterface,
  type ToolRunnableConfig,
} from "@langchain/core/tools";
import type {
  InferInteropZodInput,
  InferInteropZodOutput,
  InteropZodType,
} from "@langchain/core/utils/types";
import { interrupt } from "@langchain/langgraph";
import { approvalInterrupt } from "./approval-interrupt.ts";
import { type ApprovalClient, resolveClient, type WithApprovalOptions } from "./approval-options.ts";
import {
  buildAction,
  buildPauseRequest,
  type CallSite,
  idempotencyKey,
  toActionData,
} from "./pause-request.ts";
import { readResume } from "./resume-value.ts";
import { type SettleContext, type Settlement, settleDecision, withToolCall } from "./settle-decision.ts";
import { alreadyRanMessage, refusalMessage } from "./tool-messages.ts";

type SchemaOutput<SchemaT> = SchemaT extends InteropZodType ? InferInteropZodOutput<SchemaT> : unknown;
type SchemaInput<SchemaT> = SchemaT extends InteropZodType ? InferInteropZodInput<SchemaT> : unknown;

/** The gated tool: same name, description and schema as the tool it wraps. */
export type ApprovalTool<ToolT extends StructuredToolInterface> = DynamicStructuredTool<
  ToolT["schema"],
  SchemaOutput<ToolT["schema"]>,
  SchemaInput<ToolT["schema"]>,
  unknown,
  unknown,
  ToolT["name"]
>;

type ToolConfig = ToolRunnableConfig & { toolCallId?: string };

/**
 * Gates a LangChain tool behind human sign-off. Called as a tool call inside a
 * LangGraph graph, it opens a Countersign pause (idempotent on thread and tool
 * call) and `interrupt()`s; on resume it runs the tool only after the decision
 * proof verifies for this call and the pause is claimed, so it runs at most once.
 */
export function withApproval<ToolT extends StructuredToolInterface>(
  tool: ToolT,
  options: WithApprovalOptions<SchemaOutput<ToolT["schema"]>>,
): ApprovalTool<ToolT> {
  const client = resolveClient(options);
  const checkProof = createProofChecker(options.verify, client, { require: "decided" });

  const gated = async (input: SchemaOutput<ToolT["schema"]>, config: ToolConfig): Promise<unknown> => {
    const toolCall = config.toolCall;
    if (options.when && !(await options.when(input))) {
      // The model's own arguments: the wrapped tool parses them with its schema, as it would unwrapped.
      return runTool(tool, toolCall, toolCall?.args ?? input, config);
    }
    const site = callSite(tool.name, config);
    const data = toActionData(toolCall?.args ?? input);
    const action = buildAction(tool.name, input, data, options);
    const { pause, action: requested } = await openPause(client, action, site, options);
    const settlement = await settle(pause, {
      pauseId: pause.pause_id,
      action: requested,
      site,
      client,
      checkProof,
    });
    switch (settlement.kind) {
      case "refuse":
        return refusalMessage(site, settlement.refusal);
      case "already-ran":
        return alreadyRanMessage(site, pause.pause_id);
      case "run": {
        const call: ToolCall = {
          name: tool.name,
          args: settlement.args,
          id: site.toolCallId,
          type: "tool_call",
        };
        return runTool(tool, call, settlement.args, config);
      }
    }
  };

  // `tool()` runs the function with the call's config in async context, which `interrupt()` reads.
  const define = defineTool as unknown as (
    func: (input: unknown, config: ToolConfig) => Promise<unknown>,
    fields: Record<string, unknown>,
  ) => ApprovalTool<ToolT>;
  return define((input, config) => gated(input as SchemaOutput<ToolT["schema"]>, config), {
    name: tool.name,
    description: tool.description,
    schema: tool.schema,
    returnDirect: tool.returnDirect,
    ...(tool.extras === undefined ? {} : { extras: tool.extras }),
  });
}

function callSite(toolName: string, config: ToolConfig): CallSite {
  const threadId = config.configurable?.thread_id;
  const toolCallId = config.toolCallId ?? config.toolCall?.id;
  if (typeof threadId !== "string" || threadId === "" || !toolCallId) {
    throw new CountersignError(
      "invalid_request",
      `${toolName} needs approval, so it must run as a tool call inside a LangGraph graph with a checkpointer ` +
        "and a configurable.thread_id; the tool did not run",
      toolCallId ? { toolCallId } : {},
    );
  }
  return { threadId, toolCallId, toolName };
}

/**
 * Opens the pause for this call, or finds the one a previous run opened. When
 * the options changed in between (a deploy changed the title template), the
 * server refuses the reused key; the earlier pause still stands for this call
 * if it asks for the same action type and arguments, and its own action is
 * then what the proof is checked against.
 */
async function openPause<Args>(
  client: ApprovalClient,
  action: Action,
  site: CallSite,
  options: WithApprovalOptions<Args>,
): Promise<{ pause: Pause; action: Action }> {
  try {
    const request = buildPauseRequest(action, site, options);
    return { pause: await client.createPause(request, { idempotencyKey: idempotencyKey(site) }), action };
  } catch (error) {
    if (!isCountersignError(error)) throw error;
    if (error.code === "idempotency_conflict" && error.pauseId) {
      const earlier = await client.getPause(error.pauseId).catch(() => null);
      if (earlier && isSameCall(earlier, action, site)) return { pause: earlier, action: earlier.action };
    }
    throw new CountersignError(
      error.code,
      `Could not ask Countersign for approval of ${site.toolName} (${error.code}: ${error.message}); the tool did not run`,
      { status: error.status, toolCallId: site.toolCallId, cause: error },
    );
  }
}

function isSameCall(pause: Pause, action: Action, site: CallSite): boolean {
  return (
    pause.context.thread_id === site.threadId &&
    pause.context.tool_call_id === site.toolCallId &&
    pause.action.type === action.type &&
    canonicalJson(pause.action.data ?? {}) === canonicalJson(action.data ?? {})
  );
}

/**
 * Waits for the decision through LangGraph's own pause: `interrupt()` throws
 * on the first run and returns the resume value on the next, and that value
 * is what is checked (a tampered one throws). Only a decision the server's
 * policy made when the pause opened needs no interrupt. A resume that is not
 * this pause's decision makes the wrapper ask the server, and interrupt again
 * while the pause is still pending.
 */
async function settle(opened: Pause, context: SettleContext): Promise<Settlement> {
  if (decidedByPolicy(opened)) return settleDecision(opened, context);
  let pause = opened;
  for (;;) {
    const value: unknown = interrupt(approvalInterrupt(pause, context.action, context.site));
    const meaning = readResume(value, pause.pause_id, context.site.toolCallId);
    if (meaning.kind === "rejected") {
      await context.client.cancel(pause.pause_id, cancelReason(meaning.message)).catch(() => undefined);
      return { kind: "refuse", refusal: { kind: "rejected", reason: meaning.message ?? null } };
    }
    if (meaning.kind === "decided" && meaning.pause.status !== "pending") {
      return settleDecision(meaning.pause, context);
    }
    pause = await context.client.getPause(pause.pause_id).catch((error: unknown) => {
      throw withToolCall(error, { pauseId: opened.pause_id, toolCallId: context.site.toolCallId });
    });
    if (pause.status !== "pending") return settleDecision(pause, context);
  }
}

function decidedByPolicy(pause: Pause): boolean {
  return pause.status !== "pending" && pause.decision?.decided_by.kind === "policy";
}

function cancelReason(message: string | undefined): { reason?: string } {
  return message?.trim() ? { reason: message.trim().slice(0, 2_000) } : {};
}

function runTool(
  tool: StructuredToolInterface,
  call: ToolCall | undefined,
  args: unknown,
  config: ToolConfig,
): Promise<unknown> {
  // With a tool call the wrapped tool answers with its own ToolMessage (artifacts included).
  const invoke = tool.invoke.bind(tool) as (
    input: unknown,
    config: ToolConfig,
  ) => Promise<ToolMessage | unknown>;
  return invoke(call ? { ...call, args } : args, config);
}
