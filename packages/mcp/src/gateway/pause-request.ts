import { createHash } from "node:crypto";
import { type Action, type ActionData, canonicalJson, type PauseRequest } from "@countersign/core";
import type { ToolVerdict } from "../policy/tool-policy.ts";

export interface GatedToolCall {
  /** The name the client called (with the mount's prefix). */
  tool: string;
  /** The upstream's mount name and its own tool name. */
  server: string;
  upstreamTool: string;
  arguments: Record<string, unknown>;
}

const MAX_ACTION_TYPE = 100;
const MAX_BODY_ARGUMENTS = 12_000;

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** `sha256:<hex>` of the canonical JSON of the arguments: what records show instead of the values. */
export function argumentsDigest(args: Record<string, unknown>): string {
  return `sha256:${sha256Hex(canonicalJson(args))}`;
}

/**
 * The action an approver sees and the proof is bound to: the tool call itself.
 * `data` is `{server, tool, arguments}`, so Countersign's policy can route on
 * `tool == write_file` or `arguments.path matches /etc/*`. The type is
 * `mcp.<server>.<tool>` so `action_type` globs work too (`mcp.tool_call` when that would be too long).
 */
export function toolCallAction(call: GatedToolCall, verdict: ToolVerdict): Action {
  const type = `mcp.${call.server}.${call.upstreamTool}`;
  const json = JSON.stringify(call.arguments, null, 2);
  const shown =
    json.length > MAX_BODY_ARGUMENTS
      ? `${json.slice(0, MAX_BODY_ARGUMENTS)}\n… (${json.length - MAX_BODY_ARGUMENTS} more characters; the full arguments are in the data)`
      : json;
  return {
    type: type.length <= MAX_ACTION_TYPE ? type : "mcp.tool_call",
    title: `Run ${call.upstreamTool} on ${call.server}`.slice(0, 200),
    description: `An MCP tool call through the Countersign gateway (rule ${verdict.rule}).`,
    body: `The agent wants to call **${call.upstreamTool}** on the MCP server **${call.server}** with:\n\n\`\`\`json\n${shown}\n\`\`\`\n`,
    data: { server: call.server, tool: call.upstreamTool, arguments: call.arguments } as ActionData,
    ...(verdict.risk && { risk: verdict.risk }),
  };
}

/**
 * The same call in the same session gives the same key, so a client that
 * calls again after a timeout lands on the same pause; `generation` moves on
 * once an approval is used up. The session id itself is hashed in.
 */
export function callKey(sessionId: string, call: GatedToolCall): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      session: sessionId,
      server: call.server,
      tool: call.upstreamTool,
      arguments: call.arguments,
    }),
  );
}

export function idempotencyKey(key: string, generation: number): string {
  return `mcp-gateway:${key}:${generation}`;
}

export function pauseRequest(
  call: GatedToolCall,
  verdict: ToolVerdict,
  options: { agentId: string; sessionId: string; masking: string[] },
): PauseRequest {
  return {
    agent_id: options.agentId,
    action: toolCallAction(call, verdict),
    ...(verdict.expiresIn !== undefined && { expires_in: verdict.expiresIn }),
    context: {
      framework: "mcp",
      mcp_session: sha256Hex(options.sessionId).slice(0, 16),
      tool: call.tool,
    },
    metadata: {
      gateway_rule: verdict.rule,
      ...(options.masking.length > 0 && { masking: options.masking }),
    },
  };
}
