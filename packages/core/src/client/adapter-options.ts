import { CountersignError } from "../errors/countersign-error.ts";
import type { Risk } from "../protocol/action.ts";
import type { JsonValue } from "../protocol/json-value.ts";
import type { Recipient } from "../protocol/pause-request.ts";
import { createClient } from "./create-client.ts";
import type { ReceiptErrorHandler } from "./tool-gate/run-with-receipt.ts";
import type { CountersignClient, VerifyWith } from "./types.ts";

/** A fixed value, or one computed from the tool call's arguments. */
export type FromArguments<Value, Args> = Value | ((args: Args) => Value);

/**
 * The options every framework adapter takes (`withApproval(tool, options)`),
 * so they read the same everywhere. Everything that goes into the pause must be
 * deterministic: the gated tool opens it again (idempotently, same body) when it resumes.
 */
export interface AdapterOptions<Args, Client = CountersignClient> {
  /** A Countersign client (agent key). Or give `url` and `apiKey`. */
  client?: Client;
  /** The Countersign server, when no `client` is given. */
  url?: string;
  /** An agent API key, when no `client` is given. */
  apiKey?: string;
  /** Who asks: shown to approvers, matched by policy. */
  agentId: string;
  /** The action type approvers and policy see. Default: the tool's name. */
  actionType?: string;
  /** The card's first line. */
  title?: FromArguments<string, Args>;
  /** A second line under the title (at most 2 000 characters). */
  description?: FromArguments<string, Args>;
  /** A markdown preview for the approver. Default: the arguments as a list. */
  body?: FromArguments<string, Args>;
  risk?: FromArguments<Risk, Args>;
  /** Where to route the request (Slack channel, e-mail, web). Default: the server's policy. */
  recipients?: Recipient[];
  /** Seconds until the pause expires (a reject). Default: the server's (one hour). */
  expiresIn?: number;
  /** Where the server POSTs the decision, e.g. a handler that resumes the run in another process. */
  webhookUrl?: string;
  metadata?: Record<string, JsonValue>;
  /**
   * What the decision proof is checked with: required. Pin the server's
   * Ed25519 public keys (`keys`, saved with `countersign keys jwks`, or the
   * `COUNTERSIGN_JWKS` environment variable), their `thumbprints`, or the proof
   * `secret`. `{ trustServerKeys: true }` is the explicit opt-in to whatever
   * keys the server serves. Without any, the adapter throws when it is built.
   */
  verify?: VerifyWith;
  /**
   * Told when the execution receipt could not be recorded after the tool ran
   * (the tool's result stands: the action happened). Default: a warning on
   * stderr. The pause then shows up in `GET /v1/pauses?claimed_without_receipt=true`.
   */
  onReceiptError?: ReceiptErrorHandler;
  /**
   * Who spends the approval. `"adapter"` (default): the adapter claims it once
   * and records the execution receipt. `"service"`: the action happens in a
   * proof-gated service (`@countersign/enforce`), which claims it and records
   * the receipt; the adapter still verifies the proof for this exact call, then
   * runs the tool, which forwards `approvedCall().headers` to the service. A
   * replayed call then gets the service's 409 instead of the adapter's
   * "already ran".
   */
  claimedBy?: "adapter" | "service";
}

/** The adapter's client: the one given, or one made from `url` and `apiKey`. */
export function resolveClient<Client>(options: {
  client?: Client;
  url?: string;
  apiKey?: string;
}): Client | CountersignClient {
  if (options.client) return options.client;
  if (options.url && options.apiKey) return createClient({ baseUrl: options.url, apiKey: options.apiKey });
  throw new CountersignError("invalid_request", "withApproval needs a `client`, or a `url` and an `apiKey`");
}
