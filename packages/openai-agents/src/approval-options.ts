import type { VerifyWith } from "@countersign/core";
import {
  type ActionData,
  type CountersignClient,
  CountersignError,
  createClient,
  type JwkSet,
  type PublicJwk,
  type Recipient,
  type Risk,
} from "@countersign/core";
import type { RunContext } from "@openai/agents";

/** The client calls the adapter makes (a `createClient(...)` result has them all). */
export type ApprovalClient = Pick<
  CountersignClient,
  "createPause" | "getPause" | "waitForDecision" | "claim" | "getKeys"
>;

/** One function tool call, as Countersign sees it. */
export interface ApprovalCall<Args = ActionData> {
  toolName: string;
  callId: string;
  /** The call's arguments, parsed from the model's JSON. */
  args: Args;
}

/** A fixed value, or one computed from the tool call's arguments. */
export type FromArguments<Value, Args> = Value | ((args: Args) => Value);

/**
 * The same options as the other Countersign adapters. Everything that goes
 * into the pause must be deterministic: the gated tool re-opens the pause
 * (idempotently, same body) right before it runs, in whichever process resumes.
 */
export interface WithApprovalOptions<Args = ActionData> {
  /** A Countersign client (agent key). Or give `url` and `apiKey`. */
  client?: ApprovalClient;
  /** The Countersign server, when no `client` is given. */
  url?: string;
  /** An agent API key, when no `client` is given. */
  apiKey?: string;
  /** Who asks: shown to approvers, matched by policy. */
  agentId: string;
  /** The action type approvers and policy see. Default: the tool's name. */
  actionType?: string;
  /** The card's first line. Default: `Run <tool>`. */
  title?: FromArguments<string, Args>;
  /** A markdown preview for the approver. Default: the arguments as a list. */
  body?: FromArguments<string, Args>;
  risk?: FromArguments<Risk, Args>;
  /** Where to route the request (Slack channel, e-mail, web). Default: the server's policy. */
  recipients?: Recipient[];
  /** Seconds until the pause expires (a reject). Default: the server's (one hour). */
  expiresIn?: number;
  /** Where the server POSTs the decision, e.g. a handler that resumes the run in another process. */
  webhookUrl?: string;
  metadata?: Record<string, string | number | boolean | null>;
  /**
   * The policy: whether this call needs a human at all; `false` runs the tool at
   * once. Default: every call. Must be deterministic: the gated tool asks it again
   * right before it runs.
   */
  when?: (
    args: Args,
    context: { runContext: RunContext<unknown>; callId: string | undefined },
  ) => boolean | Promise<boolean>;
  /**
   * What the decision proof is checked with. Default: the server's Ed25519
   * public keys (`GET /v1/keys`), fetched once. Give `keys` to pin them, or
   * the proof `secret`.
   */
  verify?: VerifyWith;
}

export function resolveClient(options: {
  client?: ApprovalClient;
  url?: string;
  apiKey?: string;
}): ApprovalClient {
  if (options.client) return options.client;
  if (options.url && options.apiKey) return createClient({ baseUrl: options.url, apiKey: options.apiKey });
  throw new CountersignError("invalid_request", "withApproval needs a `client`, or a `url` and an `apiKey`");
}

export type { VerifyWith };
