import {
  type Action,
  type ActionData,
  CountersignError,
  createProofChecker,
  isCountersignError,
  type Pause,
  type VerifiedProof,
} from "@countersign/core";
import type { RunContext } from "@openai/agents";
import {
  type ApprovalCall,
  type ApprovalClient,
  resolveClient,
  type WithApprovalOptions,
} from "./approval-options.ts";
import { pauseRequestFor } from "./pause-request.ts";

/**
 * What `withApproval` attaches to a tool: its options and the operations the
 * helper and the gated `invoke` share, so both open the same pause and check
 * the same action.
 */
export interface ApprovalGate {
  readonly options: WithApprovalOptions;
  readonly client: ApprovalClient;
  /** The policy: does this call wait for a human? */
  applies(args: ActionData, runContext: RunContext<unknown>, callId: string | undefined): Promise<boolean>;
  /** Opens the call's pause, or finds the one already open (idempotent on the call id). */
  open(call: ApprovalCall, signal?: AbortSignal): Promise<{ pause: Pause; action: Action }>;
  /** Verifies an approved pause's proof for exactly this action; throws a `proof_*` error otherwise. */
  verify(pause: Pause, action: Action): Promise<VerifiedProof>;
}

const GATE = Symbol.for("countersign.openai-agents.approval-gate");

export function createApprovalGate(options: WithApprovalOptions): ApprovalGate {
  const client = resolveClient(options);
  const checkProof = createProofChecker(options.verify, client, { require: "approved" });
  return {
    options,
    client,
    async applies(args, runContext, callId) {
      if (options.when === undefined) return true;
      return (await options.when(args, { runContext, callId })) === true;
    },
    async open(call, signal) {
      const { request, action, idempotencyKey } = await pauseRequestFor(options, call);
      try {
        const pause = await client.createPause(request, { idempotencyKey, signal });
        return { pause, action };
      } catch (error) {
        if (!isCountersignError(error, "idempotency_conflict")) throw error;
        throw new CountersignError(
          "idempotency_conflict",
          `The pause for ${call.toolName} call ${call.callId} was opened with other options. Configure withApproval() identically (agentId, actionType, title, body, risk, recipients, webhookUrl, expiresIn, metadata) in every process that resumes this run.`,
          { pauseId: error.pauseId, toolCallId: call.callId, cause: error },
        );
      }
    },
    async verify(pause, action) {
      if (pause.proof === null) {
        throw new CountersignError(
          "proof_malformed",
          `Pause ${pause.pause_id} is ${pause.status} and carries no proof`,
          {
            pauseId: pause.pause_id,
          },
        );
      }
      return checkProof(pause.proof, { pauseId: pause.pause_id, action });
    },
  };
}

/** Marks a tool as gated. An own, enumerable symbol: it survives the SDK's shallow tool copies. */
export function attachGate<T extends object>(tool: T, gate: ApprovalGate): T {
  Object.defineProperty(tool, GATE, { value: gate, enumerable: true });
  return tool;
}

export function gateOf(tool: unknown): ApprovalGate | undefined {
  if (typeof tool !== "object" || tool === null) return undefined;
  return (tool as { [GATE]?: ApprovalGate })[GATE];
}
