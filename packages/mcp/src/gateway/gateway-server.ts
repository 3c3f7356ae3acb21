import type { Pause } from "@countersign/core";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  CallToolResultSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import type { MaskTarget } from "../masking/create-masker.ts";
import { runGatedCall } from "./gated-call.ts";
import type { GatewayRuntime } from "./gateway-runtime.ts";
import { listAll } from "./list-all.ts";
import { maskAndRecord } from "./mask-and-record.ts";
import { exposedName } from "./mounts.ts";
import { registerPassthrough } from "./passthrough-handlers.ts";
import { argumentsDigest, type GatedToolCall } from "./pause-request.ts";
import { deniedResult } from "./tool-results.ts";

/** How long an upstream call may run; a client that gives up first cancels it. */
const UPSTREAM_TIMEOUT_MS = 10 * 60_000;

export interface SessionOptions {
  /** The Countersign agent key this session acts with. */
  apiKey: string;
  /** The session id when the transport has none (stdio): idempotency keys derive from it. */
  sessionId: string;
}

/**
 * One client's view of the gateway: an MCP server whose tools, resources and
 * prompts are the upstreams', with every tool call going through the policy.
 * The low-level `Server` (not `McpServer`) because the gateway passes JSON
 * Schemas through unchanged instead of declaring its own.
 */
export function createGatewayServer(runtime: GatewayRuntime, session: SessionOptions): Server {
  const { mounts, masker, recorder } = runtime;
  const server = new Server(
    { name: "countersign-mcp-gateway", version: runtime.version },
    {
      capabilities: runtime.capabilities,
      ...(runtime.instructions && { instructions: runtime.instructions }),
    },
  );
  const countersign = runtime.countersignFor(session.apiKey);
  const sessionOf = (extra: { sessionId?: string | undefined }) => extra.sessionId ?? session.sessionId;

  const masked = <Value>(value: Value, target: MaskTarget, sessionId: string, pauseId: string | null) =>
    maskAndRecord(runtime, value, target, sessionId, pauseId);

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const tools = [];
    for (const upstream of mounts.upstreams) {
      if (!upstream.capabilities.tools) continue;
      for (const tool of await listAll(
        (cursor) => upstream.client.listTools(cursor),
        (page) => page.tools,
      )) {
        const name = exposedName(upstream, tool.name);
        const exposed = { ...tool, name };
        // Masked values are strings where the schema may say otherwise: a client would reject the result.
        if (masker.appliesTo({ tool: name, server: upstream.name }).paths) delete exposed.outputSchema;
        tools.push(exposed);
      }
    }
    return { tools };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {}, _meta } = request.params;
    const route = mounts.resolveName(name);
    if (!route?.upstream.capabilities.tools)
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const { upstream } = route;
    const sessionId = sessionOf(extra);
    const verdict = runtime.policy({ tool: name, server: upstream.name, arguments: args });
    const progressToken = _meta?.progressToken;
    const forwardMeta = _meta
      ? Object.fromEntries(Object.entries(_meta).filter(([key]) => key !== "progressToken"))
      : undefined;
    const callUpstream = async (
      callArgs: Record<string, unknown>,
      options: RequestOptions,
      pauseId: string | null,
    ) => {
      // Progress goes out in order and before the result: a client drops progress for a finished request.
      let forwarded: Promise<void> = Promise.resolve();
      const result = (await upstream.client.request(
        {
          method: "tools/call",
          params: {
            name: route.name,
            arguments: callArgs,
            ...(forwardMeta && Object.keys(forwardMeta).length > 0 && { _meta: forwardMeta }),
          },
        },
        CallToolResultSchema,
        {
          timeout: UPSTREAM_TIMEOUT_MS,
          resetTimeoutOnProgress: true,
          ...(progressToken !== undefined && {
            onprogress: (progress) => {
              forwarded = forwarded
                .then(() =>
                  extra.sendNotification({
                    method: "notifications/progress",
                    params: { ...progress, progressToken },
                  }),
                )
                .catch(() => {});
            },
          }),
          ...options,
        },
      )) as CallToolResult;
      await forwarded;
      return masked(result, { tool: name, server: upstream.name }, sessionId, pauseId);
    };

    if (verdict.decision === "deny") {
      recorder.record({
        type: "tool.denied",
        at: new Date().toISOString(),
        session: sessionId,
        server: upstream.name,
        tool: name,
        rule: verdict.rule,
      });
      return deniedResult(name, verdict.rule, verdict.reason);
    }

    if (verdict.decision === "allow") {
      if (!runtime.recordUngated) return callUpstream(args, { signal: extra.signal }, null);
      const startedAt = performance.now();
      let outcome: "ok" | "tool_error" | "error" = "error";
      try {
        const result = await callUpstream(args, { signal: extra.signal }, null);
        outcome = result.isError ? "tool_error" : "ok";
        return result;
      } finally {
        recorder.record({
          type: "tool.allowed",
          at: new Date().toISOString(),
          session: sessionId,
          server: upstream.name,
          tool: name,
          arguments_digest: argumentsDigest(args),
          duration_ms: Math.round((performance.now() - startedAt) * 1000) / 1000,
          outcome,
        });
      }
    }

    const call: GatedToolCall = {
      tool: name,
      server: upstream.name,
      upstreamTool: route.name,
      arguments: args,
    };
    let waitingTimer: ReturnType<typeof setInterval> | undefined;
    const onPending = (pause: Pause) => {
      if (progressToken !== undefined) {
        let beats = 0;
        waitingTimer = setInterval(() => {
          beats++;
          void extra
            .sendNotification({
              method: "notifications/progress",
              params: {
                progressToken,
                progress: beats,
                message: `Waiting for approval (pause ${pause.pause_id})`,
              },
            })
            .catch(() => {});
        }, runtime.progressIntervalMs);
      }
      if (runtime.elicitation && server.getClientCapabilities()?.elicitation?.url) {
        // Only a pointer to Countersign's inbox: whatever the client answers decides nothing.
        void server
          .elicitInput(
            {
              mode: "url",
              elicitationId: pause.pause_id,
              url: pause.links.inbox,
              message: `${name} needs a human approval in Countersign. An approver can decide it here; your answer here does not approve it.`,
            },
            { relatedRequestId: extra.requestId },
          )
          .catch(() => {});
      }
    };
    try {
      return await runGatedCall(
        {
          countersign,
          trusted: runtime.trustedKeys,
          agentId: runtime.agentId,
          sessionId,
          waitMs: runtime.waitMs,
          ledger: runtime.ledger,
          recorder,
          masking: runtime.maskingRulesFor(name, upstream.name),
          onPending,
        },
        call,
        verdict,
        // Not tied to this request's signal: a client that times out and calls again gets this run's result.
        (approvedArguments, pauseId) => callUpstream(approvedArguments, {}, pauseId),
      );
    } finally {
      if (waitingTimer) clearInterval(waitingTimer);
    }
  });

  registerPassthrough(server, runtime, sessionOf);
  return server;
}
