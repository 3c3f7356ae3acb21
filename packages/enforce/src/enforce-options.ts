import type { Action, JwkSet, PublicJwk } from "@countersign/verify";
import type { Approval } from "./approval.ts";
import type { EnforcedRequest } from "./enforced-request.ts";

/** What a request asks to do, as the service understands it: compared with what was approved. */
export type RequestedAction = Pick<Action, "type" | "data">;

/** How proofs are checked: pinned keys only (the service never believes keys it is served unpinned). */
export interface EnforceTrust {
  /** Countersign's public Ed25519 keys: a JWK set saved from `countersign keys jwks` (or `GET /v1/keys` fetched once by hand). */
  keys?: JwkSet | readonly PublicJwk[];
  /** Or RFC 7638 thumbprints of those keys: the keys are fetched from Countersign, and only pinned ones kept. */
  thumbprints?: readonly string[];
}

export interface EnforceOptions<Raw = unknown> {
  /** Countersign's base URL, e.g. `https://countersign.internal`. */
  countersignUrl: string;
  /** An executor key (`countersign keys create --role executor --identity payments-service`): it reads, claims and reports, nothing else. */
  executorKey: string;
  /** The trust anchor. Required: the middleware refuses to be built without one. */
  verify: EnforceTrust;
  /** Maps this request to the action it performs, e.g. `(request) => ({ type: "payment", data: request.body })`. */
  action: (request: EnforcedRequest<Raw>) => RequestedAction | Promise<RequestedAction>;
  /** Per call to Countersign (read, claim, receipt). Default 5000 ms. */
  timeoutMs?: number;
  /** Allowance for clocks that disagree when checking a proof's expiry, in seconds. Default 30. */
  clockSkewSeconds?: number;
  /** Where to find Countersign's docs in the "no proof" answer. Default: a short explanation only. */
  docsUrl?: string;
  /**
   * Called when the receipt could not be recorded after the handler ran (the
   * action happened; Countersign lists the pause under
   * `claimed_without_receipt` for an operator). Default: `console.warn`.
   */
  onReceiptError?: (error: unknown, approval: Approval) => void;
  /** A `fetch` to call Countersign with (tests, proxies). Default: the global one. */
  fetch?: typeof fetch;
}

/** Checks the options when the middleware is built, so a missing trust anchor fails at start, not per request. */
export function checkEnforceOptions<Raw>(options: EnforceOptions<Raw>): EnforceOptions<Raw> {
  const problems: string[] = [];
  if (!options || typeof options !== "object")
    throw new TypeError("@countersign/enforce: options are required");
  try {
    const url = new URL(options.countersignUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:")
      problems.push("countersignUrl must be http(s)");
  } catch {
    problems.push("countersignUrl must be Countersign's base URL");
  }
  if (typeof options.executorKey !== "string" || options.executorKey.trim() === "") {
    problems.push("executorKey is required (countersign keys create --role executor --identity <service>)");
  }
  const keys = options.verify?.keys;
  const keyCount =
    keys === undefined ? 0 : Array.isArray(keys) ? keys.length : ((keys as JwkSet).keys?.length ?? 0);
  const thumbprintCount = options.verify?.thumbprints?.length ?? 0;
  if (keyCount === 0 && thumbprintCount === 0) {
    problems.push(
      "verify: pin Countersign's public keys (verify: { keys } with the JWK set from `countersign keys jwks`) or their thumbprints (verify: { thumbprints })",
    );
  }
  if (typeof options.action !== "function") {
    problems.push(
      'action: map a request to its action, e.g. (request) => ({ type: "payment", data: request.body })',
    );
  }
  if (problems.length > 0) throw new TypeError(`@countersign/enforce: ${problems.join("; ")}`);
  return options;
}
