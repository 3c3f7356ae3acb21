import {
  type ApprovalResult,
  type CountersignClient,
  isCountersignError,
  type Pause,
  type RecordReceiptOptions,
  resultDigest,
} from "@countersign/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type TrustedKeys, verifyPause } from "../countersign/trusted-keys.ts";
import type { ToolVerdict } from "../policy/tool-policy.ts";
import type { CallLedger, SettledCall } from "./call-ledger.ts";
import {
  argumentsDigest,
  callKey,
  type GatedToolCall,
  idempotencyKey,
  pauseRequest,
  toolCallAction,
} from "./pause-request.ts";
import type { GatewayEvent, GatewayRecorder } from "./recorder.ts";
import { failedResult, pendingResult, rejectedResult, withMeta } from "./tool-results.ts";

export interface GatedCallContext {
  countersign: CountersignClient;
  trusted: TrustedKeys;
  agentId: string;
  sessionId: string;
  /** How long one call waits for the decision before answering "pending". */
  waitMs: number;
  ledger: CallLedger;
  recorder: GatewayRecorder;
  /** Names of the masking rules that apply to this tool, recorded on the pause. */
  masking: string[];
  /** Called once the pause is open and still pending (elicitation, progress). */
  onPending?: (pause: Pause) => void;
  now?: () => number;
}

/** Runs the upstream with the approved arguments; the gateway masks and records around it. */
export type ExecuteTool = (
  approvedArguments: Record<string, unknown>,
  pauseId: string,
) => Promise<CallToolResult>;

/**
 * A call that needs a human: open (or find again) its pause, wait for the
 * decision within the window, verify the proof against pinned keys, claim
 * the pause (single use), and only then run the upstream with the approved
 * arguments. Every failure on the way answers with an error result and the
 * upstream never runs.
 */
export function runGatedCall(
  context: GatedCallContext,
  call: GatedToolCall,
  verdict: ToolVerdict,
  execute: ExecuteTool,
): Promise<CallToolResult> {
  const now = context.now ?? Date.now;
  const key = callKey(context.sessionId, call);
  const { generation, settled } = context.ledger.generation(key, now());
  if (settled) {
    recordGated(context, call, verdict, "replayed", settled.pauseId);
    return Promise.resolve(replayed(settled));
  }
  const idempotency = idempotencyKey(key, generation);
  // An identical call already on its way (sent twice at once, or retried while waiting) shares its outcome.
  const running = context.ledger.inFlight(idempotency);
  if (running) return running;
  return context.ledger.track(idempotency, attempt(context, call, verdict, execute, key, idempotency));
}

async function attempt(
  context: GatedCallContext,
  call: GatedToolCall,
  verdict: ToolVerdict,
  execute: ExecuteTool,
  key: string,
  idempotency: string,
): Promise<CallToolResult> {
  const now = context.now ?? Date.now;
  const startedAt = now();
  const record = (
    outcome: GatedOutcome,
    pauseId: string | null,
    extra: { code?: string; duration_ms?: number } = {},
  ) => recordGated(context, call, verdict, outcome, pauseId, extra);
  const unreachable = (error: unknown, pauseId?: string): CallToolResult => {
    const code = isCountersignError(error) ? error.code : "internal_error";
    const message = error instanceof Error ? error.message : String(error);
    record("countersign_error", pauseId ?? null, { code });
    return failedResult(call.tool, `Countersign could not be asked for approval (${code}: ${message}).`, {
      code,
      rule: verdict.rule,
      ...(pauseId && { pauseId }),
    });
  };

  let pause: Pause;
  try {
    pause = await context.countersign.createPause(
      pauseRequest(call, verdict, {
        agentId: context.agentId,
        sessionId: context.sessionId,
        masking: context.masking,
      }),
      { idempotencyKey: idempotency },
    );
  } catch (error) {
    return unreachable(error);
  }
  if (pause.status === "pending") {
    context.onPending?.(pause);
    try {
      pause = await context.countersign.waitForDecision(pause.pause_id, { timeoutMs: context.waitMs });
    } catch (error) {
      if (!isCountersignError(error, "timeout")) return unreachable(error, pause.pause_id);
      record("pending", pause.pause_id);
      return pendingResult(pause, call.tool, verdict.rule, Math.round(context.waitMs / 1000));
    }
  }
  const pauseId = pause.pause_id;
  const settle = (outcome: SettledCall["outcome"], result: CallToolResult) => {
    context.ledger.settle(key, { at: now(), pauseId, outcome, result });
    return result;
  };
  if (pause.status === "cancelled") {
    record("cancelled", pauseId);
    return settle("cancelled", rejectedResult(pause, call.tool, "cancelled", pause.decision?.reason ?? null));
  }

  let approval: ApprovalResult;
  try {
    approval = await verifyPause(pause, toolCallAction(call, verdict), context.trusted);
  } catch (error) {
    const code = isCountersignError(error) ? error.code : "proof_malformed";
    record("proof_invalid", pauseId, { code });
    if (code === "proof_expired") {
      // Approved, but not used in time: this approval is spent, the next identical call asks again.
      context.ledger.advance(key, now());
      return failedResult(
        call.tool,
        `The approval on pause ${pauseId} expired before it was used. Call again to ask for a new approval.`,
        { code, pauseId, rule: verdict.rule },
      );
    }
    return failedResult(
      call.tool,
      `The decision on pause ${pauseId} could not be verified (${code}); it is not treated as an approval.`,
      { code, pauseId, rule: verdict.rule },
    );
  }
  if (!approval.approved) {
    const status = approval.status === "approved" ? "rejected" : approval.status;
    record(status === "expired" ? "expired" : status === "cancelled" ? "cancelled" : "rejected", pauseId);
    return settle(status, rejectedResult(pause, call.tool, status, approval.reason));
  }

  const approvedArguments = readApprovedArguments(approval, call);
  if (!approvedArguments) {
    record("proof_invalid", pauseId, { code: "proof_mismatch" });
    return failedResult(
      call.tool,
      `The approval on pause ${pauseId} names another server or tool than the one called, or no arguments.`,
      { code: "proof_mismatch", pauseId, rule: verdict.rule },
    );
  }

  try {
    await context.countersign.claim(pauseId, { proofId: approval.proof!.proof_id });
  } catch (error) {
    if (isCountersignError(error, "already_claimed")) {
      // Used by another gateway process (or before a restart): this call does not run it again,
      // and the next identical call asks for a new approval.
      context.ledger.advance(key, now());
      record("already_claimed", pauseId, { code: "already_claimed" });
      return failedResult(
        call.tool,
        `This approval (pause ${pauseId}) was already used: the approved call ran once and is not run again. Call again to ask for a new approval.`,
        { code: "already_claimed", pauseId, rule: verdict.rule },
      );
    }
    if (isCountersignError(error, "not_approved")) {
      // The proof verified (within the clock-skew allowance) but the server says its time is up.
      context.ledger.advance(key, now());
      record("proof_invalid", pauseId, { code: "not_approved" });
      return failedResult(
        call.tool,
        `The approval on pause ${pauseId} expired before it was used. Call again to ask for a new approval.`,
        { code: "not_approved", pauseId, rule: verdict.rule },
      );
    }
    return unreachable(error, pauseId);
  }

  const decidedBy = approval.proof?.decided_by.id;
  const meta = {
    status: "approved" as const,
    pause_id: pauseId,
    rule: verdict.rule,
    reason: approval.reason,
    ...(decidedBy && { decided_by: decidedBy }),
  };
  try {
    const result = withMeta(await execute(approvedArguments, pauseId), meta);
    record(result.isError ? "execution_failed" : "executed", pauseId, { duration_ms: now() - startedAt });
    await reportExecution(
      context.countersign,
      pauseId,
      result.isError
        ? { outcome: "failed", error: errorTextOf(result) }
        : { outcome: "succeeded", resultDigest: await resultDigest(result) },
    );
    return settle(result.isError ? "execution_failed" : "executed", result);
  } catch (error) {
    record("execution_failed", pauseId, { duration_ms: now() - startedAt });
    const message = error instanceof Error ? error.message : String(error);
    await reportExecution(context.countersign, pauseId, { outcome: "failed", error: message.slice(0, 2000) });
    // The approval was used (claimed) even though the upstream failed: a retry needs a new one.
    return settle(
      "execution_failed",
      withMeta(
        {
          content: [{ type: "text", text: `The approved call to ${call.tool} failed upstream: ${message}` }],
          isError: true,
        },
        meta,
      ),
    );
  }
}

/**
 * The execution receipt on the pause (`pause.executed` in Countersign's audit log): the call
 * ran once and how it ended. A receipt that cannot be recorded does not change the call's
 * result — it ran — and the pause is then listed by `claimed_without_receipt`.
 */
async function reportExecution(
  countersign: CountersignClient,
  pauseId: string,
  receipt: RecordReceiptOptions,
): Promise<void> {
  try {
    await countersign.recordReceipt(pauseId, receipt);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.warn(`countersign mcp: the execution receipt for ${pauseId} was not recorded: ${message}`);
  }
}

function errorTextOf(result: CallToolResult): string {
  const text = result.content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n");
  return (text || "the upstream answered with an error").slice(0, 2000);
}

type GatedOutcome = Extract<GatewayEvent, { type: "tool.gated" }>["outcome"];

function recordGated(
  context: GatedCallContext,
  call: GatedToolCall,
  verdict: ToolVerdict,
  outcome: GatedOutcome,
  pauseId: string | null,
  extra: { code?: string; duration_ms?: number } = {},
): void {
  context.recorder.record({
    type: "tool.gated",
    at: new Date((context.now ?? Date.now)()).toISOString(),
    session: context.sessionId,
    server: call.server,
    tool: call.tool,
    rule: verdict.rule,
    arguments_digest: argumentsDigest(call.arguments),
    pause_id: pauseId,
    outcome,
    ...extra,
  });
}

/** The arguments to run with: the approver's edits, for exactly this server and tool. */
function readApprovedArguments(
  approval: ApprovalResult,
  call: GatedToolCall,
): Record<string, unknown> | null {
  const data = approval.data as { server?: unknown; tool?: unknown; arguments?: unknown } | undefined;
  if (!data || data.server !== call.server || data.tool !== call.upstreamTool) return null;
  const args = data.arguments;
  if (args === null || typeof args !== "object" || Array.isArray(args)) return null;
  return args as Record<string, unknown>;
}

/** An identical call within the replay window: the same answer, and the upstream is not called. */
function replayed(settled: SettledCall): CallToolResult {
  if (settled.outcome !== "executed" && settled.outcome !== "execution_failed") return settled.result;
  const note = {
    type: "text" as const,
    text: `(Countersign: this identical call was approved and ran at ${new Date(settled.at).toISOString()}; it was not run again. The result above is from that run.)`,
  };
  const meta = { ...(settled.result._meta ?? {}) };
  return {
    ...settled.result,
    content: [...settled.result.content, note],
    _meta: { ...meta, "countersign/approval": { status: "replayed", pause_id: settled.pauseId } },
  };
}
