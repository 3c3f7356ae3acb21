import {
  CountersignError,
  createToolGate,
  gateFailure,
  type OpenedCall,
  type Pause,
  type ToolGate,
} from "@countersign/core";
import type { ToolCall as LangChainToolCall, ToolMessage } from "@langchain/core/messages";
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
import type { WithApprovalOptions } from "./approval-options.ts";
import { type CallSite, toActionData } from "./pause-request.ts";
import { readResume } from "./resume-value.ts";
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
 * LangGraph graph, it opens a Countersign pause (idempotent on thread, tool
 * call and arguments) and `interrupt()`s; on resume it runs the tool only after
 * the decision proof verifies for this call and the pause is claimed, so it
 * runs at most once. Countersign failures are thrown (with `createAgent`, add
 * `countersignMiddleware()` so they reach you instead of the model).
 */
export function withApproval<ToolT extends StructuredToolInterface>(
  tool: ToolT,
  options: WithApprovalOptions<SchemaOutput<ToolT["schema"]>>,
): ApprovalTool<ToolT> {
  const gate = createToolGate({ ...options, framework: "langgraph" });

  const gated = async (input: SchemaOutput<ToolT["schema"]>, config: ToolConfig): Promise<unknown> => {
    const toolCall = config.toolCall;
    if (options.when && !(await options.when(input))) {
      // The model's own arguments: the wrapped tool parses them with its schema, as it would unwrapped.
      return runTool(tool, toolCall, toolCall?.args ?? input, config);
    }
    const site = callSite(tool.name, config);
    const call = {
      toolName: site.toolName,
      callId: site.toolCallId,
      scope: site.threadId,
      args: toActionData(toolCall?.args ?? input),
      context: { thread_id: site.threadId },
    };
    const opened = await gate.open(call, { typedArgs: input });
    const decided = await decision(gate, opened, site);
    if ("rejectedWith" in decided) {
      return refusalMessage(site, { kind: "rejected", reason: decided.rejectedWith, decidedBy: null });
    }
    const outcome = await gate.settle(opened, decided);
    switch (outcome.kind) {
      case "refuse":
        return refusalMessage(site, outcome.refusal);
      case "already-ran":
        return alreadyRanMessage(site, outcome.pause.pause_id);
      case "run":
        return gate.execute(outcome, (args) => {
          const approved: LangChainToolCall = {
            name: tool.name,
            args,
            id: site.toolCallId,
            type: "tool_call",
          };
          return runTool(tool, approved, args, config);
        });
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
 * The decided pause, through LangGraph's own pause: `interrupt()` throws on
 * the first run and returns the resume value on the next, and that value is
 * what the gate verifies (a tampered one throws). Only a decision the server's
 * policy made when the pause opened needs no interrupt. A resume that is not
 * this pause's decision makes the wrapper ask the server, and interrupt again
 * while the pause is still pending. A `reject` from langchain's HITL shape
 * cancels the pause: the cancelled pause is then the decision.
 */
async function decision<Args>(
  gate: ToolGate<Args>,
  opened: OpenedCall,
  site: CallSite,
): Promise<Pause | { rejectedWith: string | null }> {
  let pause = opened.pause;
  if (pause.status !== "pending" && pause.decision?.decided_by.kind === "policy") return pause;
  for (;;) {
    const value: unknown = interrupt(approvalInterrupt(pause, opened.action, site));
    const meaning = readResume(value, pause.pause_id, site.toolCallId);
    if (meaning.kind === "rejected") {
      // Final whatever the server says: a reject never runs the tool.
      const reason = meaning.message?.trim() ? meaning.message.trim().slice(0, 2_000) : undefined;
      await gate.client.cancel(pause.pause_id, reason ? { reason } : {}).catch(() => undefined);
      return { rejectedWith: reason ?? null };
    }
    if (meaning.kind === "decided" && meaning.pause.status !== "pending") return meaning.pause;
    try {
      pause = await gate.client.getPause(pause.pause_id);
    } catch (error) {
      throw gateFailure(error, opened.call, pause.pause_id);
    }
    if (pause.status !== "pending") return pause;
  }
}

function runTool(
  tool: StructuredToolInterface,
  call: LangChainToolCall | undefined,
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
