import { isCountersignError } from "../../errors/countersign-error.ts";
import { canonicalJson } from "../../proof/canonical-json.ts";
import type { Action, ActionData } from "../../protocol/action.ts";
import type { Pause } from "../../protocol/pause.ts";
import { DEFAULT_EXPIRES_IN_SECONDS } from "../../protocol/pause-request.ts";
import { resolveClient } from "../adapter-options.ts";
import { createProofChecker } from "../proof-checker.ts";
import { runApprovedCall } from "./approved-call.ts";
import { awaitDecision, DEFAULT_OUTAGE_TIMEOUT_MS } from "./await-decision.ts";
import {
  alreadyRanMessage,
  type GateOutcome,
  type Refusal,
  refusalMessage,
  type Verdict,
} from "./gate-outcome.ts";
import { type CallRequest, pauseRequestForCall } from "./pause-request-for-call.ts";
import { runWithReceipt } from "./run-with-receipt.ts";
import type { ToolCall } from "./tool-call.ts";
import { gateFailure, ToolGateError } from "./tool-gate-error.ts";
import type { ToolGateClient, ToolGateOptions } from "./tool-gate-options.ts";

const WAIT_GRACE_MS = 60_000;

/** A call whose pause is open: the pause, and the action its proof must be bound to. */
export interface OpenedCall {
  call: ToolCall;
  pause: Pause;
  action: Action;
}

export interface GateCallOptions {
  signal?: AbortSignal;
}

/**
 * One gate for every framework adapter. The steps, in order:
 * `open` (idempotent pause) → `wait` (default timeout, backoff, no silent
 * endless retry) → `verify` (pinned keys, this pause, these arguments) →
 * `claim` (once) → `execute` (runs the tool). `authorize` does the first four.
 * Every failure is a `ToolGateError` whose `failure` says whether it is an
 * outage (resumable), a security failure or a misconfiguration.
 */
export interface ToolGate<Args = ActionData> {
  readonly options: ToolGateOptions<Args>;
  readonly client: ToolGateClient;
  /** The pause request and idempotency key for a call (pure: same call, same request). */
  request(call: ToolCall, typedArgs?: Args): Promise<CallRequest>;
  /** Opens the call's pause, or finds the one already open for it. */
  open(call: ToolCall, options?: GateCallOptions & { typedArgs?: Args }): Promise<OpenedCall>;
  /** Waits for the decision (a pause decided at once returns at once). */
  wait(opened: OpenedCall, options?: GateCallOptions & { timeoutMs?: number }): Promise<Pause>;
  /** Verifies the decided pause's proof for exactly this call; does not claim. */
  verify(opened: OpenedCall, pause: Pause): Promise<Verdict>;
  /**
   * Spends a verified approval: `run` the first time, `already-ran` after.
   * With `claimedBy: "service"` it only passes the approval on: the service claims.
   */
  claim(verdict: Verdict, options?: GateCallOptions): Promise<GateOutcome>;
  /** `verify` then `claim`. */
  settle(opened: OpenedCall, pause: Pause, options?: GateCallOptions): Promise<GateOutcome>;
  /** `open`, `wait`, `verify`, `claim`. */
  authorize(call: ToolCall, options?: GateCallOptions & { typedArgs?: Args }): Promise<GateOutcome>;
  /**
   * Runs the tool for a `run` outcome, with the approved arguments and its
   * approval in reach of `approvedCall()`. The one place a tool runs after
   * approval: where the execution receipt is recorded (unless a service claims).
   */
  execute<Result>(
    outcome: GateOutcome & { kind: "run" },
    run: (args: ActionData) => Promise<Result>,
  ): Promise<Result>;
}

/**
 * Builds the gate. Throws at once without a client or a trust anchor, so a
 * misconfigured adapter fails when it is built, not at the first approval.
 */
export function createToolGate<Args = ActionData>(options: ToolGateOptions<Args>): ToolGate<Args> {
  const client = resolveClient(options) as ToolGateClient;
  const checkProof = createProofChecker(options.verify, client, { require: "decided" });
  const outageTimeoutMs = options.outageTimeoutMs ?? DEFAULT_OUTAGE_TIMEOUT_MS;
  const waitTimeoutMs =
    options.waitTimeoutMs ?? (options.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS) * 1000 + WAIT_GRACE_MS;

  const request = (call: ToolCall, typedArgs?: Args) =>
    pauseRequestForCall(options, call, typedArgs === undefined ? (call.args as Args) : typedArgs);

  async function open(call: ToolCall, callOptions: GateCallOptions & { typedArgs?: Args } = {}) {
    const built = await request(call, callOptions.typedArgs).catch((error: unknown) => {
      throw gateFailure(error, call);
    });
    try {
      const pause = await client.createPause(built.request, {
        idempotencyKey: built.idempotencyKey,
        signal: callOptions.signal,
      });
      return { call, pause, action: built.action };
    } catch (error) {
      // Options changed between processes (a deploy changed the title): the
      // earlier pause still stands for this call if it asks for the same thing.
      if (isCountersignError(error, "idempotency_conflict") && error.pauseId) {
        const earlier = await client.getPause(error.pauseId).catch(() => null);
        if (earlier && isSameCall(earlier, built.action, call))
          return { call, pause: earlier, action: earlier.action };
        throw new ToolGateError(
          "configuration",
          "idempotency_conflict",
          `${call.toolName} (call ${call.callId}) did not run: its pause was opened with other options. Configure the adapter identically in every process that resumes this call.`,
          { toolName: call.toolName, toolCallId: call.callId, pauseId: error.pauseId, cause: error },
        );
      }
      throw gateFailure(error, call);
    }
  }

  async function wait(opened: OpenedCall, callOptions: GateCallOptions & { timeoutMs?: number } = {}) {
    if (opened.pause.status !== "pending") return opened.pause;
    try {
      return await awaitDecision(client, opened.pause.pause_id, {
        timeoutMs: callOptions.timeoutMs ?? waitTimeoutMs,
        outageTimeoutMs,
        signal: callOptions.signal,
      });
    } catch (error) {
      throw gateFailure(error, opened.call, opened.pause.pause_id);
    }
  }

  async function verify(opened: OpenedCall, pause: Pause): Promise<Verdict> {
    const { call } = opened;
    const pauseId = opened.pause.pause_id;
    const fail = (
      code: "proof_wrong_pause" | "proof_missing" | "proof_mismatch" | "not_approved",
      why: string,
    ) =>
      new ToolGateError(
        code === "not_approved" ? "configuration" : "security",
        code,
        `${call.toolName} (call ${call.callId}) did not run: ${why}`,
        { toolName: call.toolName, toolCallId: call.callId, pauseId },
      );
    if (pause.pause_id !== pauseId)
      throw fail("proof_wrong_pause", `the decision is for pause ${pause.pause_id}, not ${pauseId}`);
    if (pause.status === "pending") throw fail("not_approved", `pause ${pauseId} is still pending`);
    const refuse = (refusal: Refusal): Verdict => ({
      kind: "refuse",
      refusal,
      pause,
      message: refusalMessage(call.toolName, refusal),
    });
    if (pause.status === "cancelled")
      return refuse({ kind: "cancelled", reason: pause.decision?.reason ?? null });
    if (!pause.proof) {
      if (pause.status === "approved")
        throw fail("proof_missing", `pause ${pauseId} says approved but carries no proof`);
      // A denial needs no proof to be obeyed.
      return refuse(denial(pause.status, pause.decision?.reason ?? null, pause.decision?.decided_by ?? null));
    }
    let verified: Awaited<ReturnType<typeof checkProof>>;
    try {
      verified = await checkProof(pause.proof, { pauseId, action: opened.action });
    } catch (error) {
      // An authentic approval that ran out of time is an outcome, not an attack.
      if (isCountersignError(error, "proof_expired")) {
        return refuse({ kind: "approval-expired", validUntil: pause.proof.valid_until });
      }
      throw gateFailure(error, call, pauseId);
    }
    const { proof } = verified;
    if (proof.decision !== pause.status) {
      throw fail(
        "proof_mismatch",
        `pause ${pauseId} says ${pause.status} but its proof says ${proof.decision}`,
      );
    }
    if (proof.decision !== "approved") return refuse(denial(proof.decision, proof.reason, proof.decided_by));
    return { kind: "approved", args: proof.data ?? opened.action.data ?? {}, pause, proof };
  }

  async function claim(verdict: Verdict, callOptions: GateCallOptions = {}): Promise<GateOutcome> {
    if (verdict.kind === "refuse") return verdict;
    const { pause, proof } = verdict;
    // The proof-gated service spends it, where the side effect happens.
    if (options.claimedBy === "service") return { kind: "run", args: verdict.args, pause, proof };
    try {
      await client.claim(pause.pause_id, { proofId: proof.proof_id, signal: callOptions.signal });
    } catch (error) {
      const toolName = pause.context.tool_name;
      const name = typeof toolName === "string" ? toolName : pause.action.type;
      if (isCountersignError(error, "already_claimed")) {
        return { kind: "already-ran", pause, message: alreadyRanMessage(name, pause.pause_id) };
      }
      const callId = pause.context.tool_call_id;
      throw gateFailure(
        error,
        { toolName: name, callId: typeof callId === "string" ? callId : "?" },
        pause.pause_id,
      );
    }
    return { kind: "run", args: verdict.args, pause, proof };
  }

  async function settle(opened: OpenedCall, pause: Pause, callOptions: GateCallOptions = {}) {
    return claim(await verify(opened, pause), callOptions);
  }

  return {
    options,
    client,
    request,
    open,
    wait,
    verify,
    claim,
    settle,
    async authorize(call, callOptions = {}) {
      const opened = await open(call, callOptions);
      return settle(opened, await wait(opened, callOptions), callOptions);
    },
    execute(outcome, run) {
      const pauseId = outcome.pause.pause_id;
      const runTool = () => runApprovedCall(pauseId, outcome.proof, () => run(outcome.args));
      // The service that claimed the approval records the receipt.
      if (options.claimedBy === "service") return runTool();
      return runWithReceipt(client, pauseId, runTool, options.onReceiptError);
    },
  };
}

function isSameCall(pause: Pause, action: Action, call: ToolCall): boolean {
  return (
    pause.context.scope === call.scope &&
    pause.context.tool_call_id === call.callId &&
    pause.action.type === action.type &&
    canonicalJson(pause.action.data ?? {}) === canonicalJson(action.data ?? {})
  );
}

function denial(
  status: "rejected" | "expired",
  reason: string | null,
  decidedBy: { kind: string; id: string; rule?: string | undefined } | null,
): Refusal {
  if (status === "expired") return { kind: "expired" };
  if (decidedBy === null) return { kind: "rejected", reason, decidedBy: null };
  const by = { kind: decidedBy.kind, id: decidedBy.id, ...(decidedBy.rule ? { rule: decidedBy.rule } : {}) };
  return { kind: "rejected", reason, decidedBy: by };
}
