import {
  type Action,
  type CountersignClient,
  canonicalJson,
  isCountersignError,
  type Pause,
} from "@countersign/core";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type TrustedKeys, verifyPause } from "../countersign/trusted-keys.ts";
import { sha256Hex } from "../gateway/pause-request.ts";
import { describeRouting } from "../gateway/tool-results.ts";
import { PACKAGE_VERSION } from "../version.ts";
import {
  ApprovalOutput,
  CancelApprovalInput,
  ClaimApprovalInput,
  ClaimOutput,
  GetApprovalInput,
  RequestApprovalInput,
} from "./approval-schemas.ts";

export interface ApprovalServerOptions {
  countersign: CountersignClient;
  trustedKeys: TrustedKeys;
  /** The agent id on every pause (one the agent key may use). */
  agentId: string;
  /** Longest wait inside one tool call, in ms: under common client timeouts (60 s). Default 50 000. */
  maxWaitMs?: number;
  /** The session idempotency keys derive from when the transport has none (stdio). */
  sessionId: string;
}

const INSTRUCTIONS =
  "Call request_approval before any action a human must sign off (payments, refunds, deletes, deploys, outbound e-mail). " +
  "Act only when it answers approved, with the returned data (an approver may have edited it), and call claim_approval right before acting so the action runs once. " +
  "When it answers pending, call get_approval with the pause_id to keep waiting. Rejected or expired: do not act; tell the user the reason.";

/**
 * The approval server for agents that gate themselves: `request_approval`,
 * `get_approval`, `cancel_approval` and `claim_approval`, answering with
 * structured content (decision, reason, edited data, proof) and a short text.
 * A decision is reported as approved only after its proof verifies against the pinned keys.
 */
export function createApprovalServer(options: ApprovalServerOptions): McpServer {
  const maxWaitMs = options.maxWaitMs ?? 50_000;
  const server = new McpServer(
    { name: "countersign-approvals", version: PACKAGE_VERSION },
    { instructions: INSTRUCTIONS },
  );
  // The action as requested, per pause, so a server cannot swap it under this session.
  const requested = new Map<string, Action>();
  const waitMsFor = (seconds: number | undefined) =>
    seconds === undefined ? maxWaitMs : Math.min(maxWaitMs, seconds * 1000);

  const answer = async (pause: Pause, waitMs: number): Promise<CallToolResult> => {
    let current = pause;
    if (current.status === "pending" && waitMs > 0) {
      try {
        current = await options.countersign.waitForDecision(current.pause_id, { timeoutMs: waitMs });
      } catch (error) {
        if (!isCountersignError(error, "timeout")) throw error;
      }
    }
    return decisionResult(current, requested.get(current.pause_id) ?? current.action, options.trustedKeys);
  };

  server.registerTool(
    "request_approval",
    {
      title: "Request human approval",
      description:
        "Ask a human to approve an action before you take it. Waits for the decision (bounded), then answers approved, rejected, expired, or pending with a pause_id.",
      inputSchema: RequestApprovalInput,
      outputSchema: ApprovalOutput,
      annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: true },
    },
    async (input, extra) =>
      guarded(async () => {
        const { wait_seconds, request_id, expires_in, ...fields } = input;
        const action: Action = {
          type: fields.action_type,
          ...(fields.title !== undefined && { title: fields.title }),
          ...(fields.description !== undefined && { description: fields.description }),
          ...(fields.body !== undefined && { body: fields.body }),
          ...(fields.data !== undefined && { data: fields.data as Action["data"] }),
          ...(fields.risk !== undefined && { risk: fields.risk }),
        };
        const session = extra.sessionId ?? options.sessionId;
        const key = sha256Hex(
          canonicalJson({
            v: 1,
            session,
            action,
            expires_in: expires_in ?? null,
            request_id: request_id ?? null,
          }),
        );
        const pause = await options.countersign.createPause(
          {
            agent_id: options.agentId,
            action,
            ...(expires_in !== undefined && { expires_in }),
            context: { framework: "mcp", mcp_session: sha256Hex(session).slice(0, 16) },
          },
          { idempotencyKey: `mcp-approvals:${key}` },
        );
        requested.set(pause.pause_id, action);
        return answer(pause, waitMsFor(wait_seconds));
      }),
  );

  server.registerTool(
    "get_approval",
    {
      title: "Get an approval's decision",
      description: "Waits again (bounded) for the decision on a pause from request_approval.",
      inputSchema: GetApprovalInput,
      outputSchema: ApprovalOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ pause_id, wait_seconds }) =>
      guarded(async () => answer(await options.countersign.getPause(pause_id), waitMsFor(wait_seconds))),
  );

  server.registerTool(
    "cancel_approval",
    {
      title: "Cancel an approval request",
      description: "Withdraws a pending approval request (the action is no longer needed).",
      inputSchema: CancelApprovalInput,
      outputSchema: ApprovalOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async ({ pause_id, reason }) =>
      guarded(async () => {
        const pause = await options.countersign.cancel(pause_id, reason === undefined ? {} : { reason });
        return decisionResult(pause, requested.get(pause_id) ?? pause.action, options.trustedKeys);
      }),
  );

  server.registerTool(
    "claim_approval",
    {
      title: "Claim an approval right before acting",
      description:
        "Single use: succeeds once for an approved pause. Call it right before acting; if it fails, do not act (the action already ran, or is not approved).",
      inputSchema: ClaimApprovalInput,
      outputSchema: ClaimOutput,
      annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ pause_id }) =>
      guarded(async () => {
        const claim = await options.countersign.claim(pause_id);
        return {
          content: [
            { type: "text", text: `Claimed pause ${pause_id} at ${claim.claimed_at}: act now, once.` },
          ],
          structuredContent: {
            pause_id: claim.pause_id,
            proof_id: claim.proof_id,
            claimed_at: claim.claimed_at,
          },
        };
      }),
  );
  return server;
}

/** Countersign failures become a tool error the model reads; never an approval. */
async function guarded(work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    const code = isCountersignError(error) ? error.code : "internal_error";
    const message = error instanceof Error ? error.message : String(error);
    const hint =
      code === "already_claimed"
        ? " The approved action already ran once; do not run it again."
        : " Treat this as not approved: do not act.";
    return { content: [{ type: "text", text: `Countersign: ${code}: ${message}.${hint}` }], isError: true };
  }
}

async function decisionResult(pause: Pause, action: Action, trusted: TrustedKeys): Promise<CallToolResult> {
  const base = {
    pause_id: pause.pause_id,
    routed_to: describeRouting(pause),
    expires_at: pause.expires_at,
    inbox_url: pause.links.inbox,
  };
  if (pause.status === "pending") {
    return {
      content: [
        {
          type: "text",
          text: `Waiting for approval: pause ${pause.pause_id} went to ${base.routed_to}. Do not act yet. Call get_approval with pause_id "${pause.pause_id}" to keep waiting (it expires at ${pause.expires_at}).`,
        },
      ],
      structuredContent: {
        ...base,
        status: "pending",
        approved: false,
        reason: null,
        data: null,
        edited: false,
        decided_by: null,
        proof: null,
      },
    };
  }
  // Throws on any proof that does not verify: `guarded` turns that into "not approved".
  const verified = await verifyPause(pause, action, trusted);
  const decider = pause.decision?.decided_by ?? verified.proof?.decided_by ?? null;
  const edited = verified.proof?.data != null;
  const data = (verified.data ?? null) as Record<string, unknown> | null;
  const who = decider ? ` by ${decider.id}` : "";
  const text = verified.approved
    ? `Approved${who} (pause ${pause.pause_id})${edited ? " with edited arguments" : ""}. Act with exactly these arguments: ${JSON.stringify(data ?? {})}. Call claim_approval with this pause_id right before acting.`
    : verified.status === "rejected"
      ? `Rejected${who}${verified.reason ? `: ${verified.reason}` : ""}. Do not act.`
      : verified.status === "expired"
        ? `The request expired without a decision (pause ${pause.pause_id}). Do not act.`
        : `The request was cancelled (pause ${pause.pause_id}). Do not act.`;
  return {
    content: [{ type: "text", text }],
    structuredContent: {
      ...base,
      status: verified.status,
      approved: verified.approved,
      reason: verified.reason,
      data,
      edited,
      decided_by: decider
        ? { kind: decider.kind, id: decider.id, ...(decider.channel && { channel: decider.channel }) }
        : null,
      proof: (verified.proof as Record<string, unknown> | null) ?? null,
    },
  };
}
