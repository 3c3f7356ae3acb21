import type { VerifyWith } from "@countersign/core";
import {
  type CountersignClient,
  CountersignError,
  createClient,
  type JwkSet,
  type PublicJwk,
  type Recipient,
  type Risk,
} from "@countersign/core";

/** The client calls the adapter makes (a `createClient(...)` result has them all). */
export type ApprovalClient = Pick<
  CountersignClient,
  "createPause" | "getPause" | "waitForDecision" | "claim" | "cancel" | "getKeys"
>;

/** A fixed value, or one computed from the tool call's arguments. */
export type FromArguments<Value, Args> = Value | ((args: Args) => Value);

export interface WithApprovalOptions<Args = Record<string, unknown>> {
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
  /** The card's first line. Must be deterministic: a re-run of the node sends it again. */
  title?: FromArguments<string, Args>;
  /** A markdown preview for the approver. Default: the arguments as a list. */
  body?: FromArguments<string, Args>;
  risk?: FromArguments<Risk, Args>;
  /** Where to route the request (Slack channel, e-mail, web). Default: the server's policy. */
  recipients?: Recipient[];
  /** Seconds until the pause expires (a reject). Default: the server's (one hour). */
  expiresIn?: number;
  /** Where the server POSTs the decision, e.g. a handler that resumes the graph. */
  webhookUrl?: string;
  metadata?: Record<string, string | number | boolean | null>;
  /**
   * Whether this call needs approval at all; `false` runs the tool at once.
   * Must be deterministic: it is asked again when the node re-runs on resume.
   */
  when?: (args: Args) => boolean | Promise<boolean>;
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
