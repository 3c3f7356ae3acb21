import { CountersignError } from "../errors/countersign-error.ts";
import { jwkThumbprint } from "../proof/signing-keys.ts";
import { type JwkSet, JwkSetSchema, type PublicJwk } from "../protocol/keys.ts";
import type { VerifyWith } from "./types.ts";

/** What a proof is checked with once the trust anchors are resolved. */
export interface ResolvedTrust {
  secret?: string | readonly string[];
  keys?: JwkSet | readonly PublicJwk[];
}

export const NO_TRUST_ANCHOR =
  "No trust anchor for decision proofs: pin the server's public keys (verify: { keys } with a JWK set saved from `countersign keys jwks`, or COUNTERSIGN_JWKS), give the proof secret (verify: { secret }), pin key thumbprints (verify: { thumbprints }), or opt in to trusting whatever keys the server serves (verify: { trustServerKeys: true })";

/** Whether `verify` (or the environment) names a trust anchor at all; checked when an adapter is built, to fail fast. */
export function hasTrustAnchor(verify: VerifyWith | undefined): boolean {
  return (
    verify?.secret !== undefined ||
    verify?.keys !== undefined ||
    (verify?.thumbprints?.length ?? 0) > 0 ||
    verify?.trustServerKeys === true ||
    environmentJwks() !== undefined
  );
}

/**
 * Resolves what proofs are verified with. Pinned material (a secret, a JWK
 * set, `COUNTERSIGN_JWKS`) is used as given. Thumbprints fetch the server's
 * keys and keep only the pinned ones, so a server that serves a key of its
 * own choosing is not believed. Fetching without a pin is the explicit
 * `trustServerKeys` opt-in. With nothing pinned, verification fails closed.
 * `fresh` asks for the server's keys again (a proof named an unseen key).
 */
export function createTrustAnchors(verify: VerifyWith | undefined, fetchKeys: () => Promise<JwkSet>) {
  let fetched: Promise<JwkSet> | undefined;
  const serverKeys = (fresh: boolean): Promise<JwkSet> => {
    if (!fetched || fresh) {
      fetched = fetchKeys();
      // A failed fetch is not cached: the next call asks again.
      fetched.catch(() => {
        fetched = undefined;
      });
    }
    return fetched;
  };
  return {
    /** Whether asking again can help when a proof names an unknown key. */
    fetchesKeys:
      verify?.secret === undefined &&
      verify?.keys === undefined &&
      !!(verify?.thumbprints?.length || verify?.trustServerKeys),
    async resolve(fresh = false): Promise<ResolvedTrust> {
      if (verify?.secret !== undefined || verify?.keys !== undefined) {
        return {
          ...(verify.secret !== undefined && { secret: verify.secret }),
          ...(verify.keys !== undefined && { keys: verify.keys }),
        };
      }
      if (verify?.thumbprints?.length)
        return { keys: await pinnedByThumbprint(await serverKeys(fresh), verify.thumbprints) };
      if (verify?.trustServerKeys) return { keys: await serverKeys(fresh) };
      const fromEnvironment = await jwksFromEnvironment();
      if (fromEnvironment) return { keys: fromEnvironment };
      throw new CountersignError("invalid_request", NO_TRUST_ANCHOR);
    },
  };
}

/** Keeps the served keys whose RFC 7638 thumbprint is pinned; the `kid` they claim is not trusted. */
async function pinnedByThumbprint(served: JwkSet, thumbprints: readonly string[]): Promise<PublicJwk[]> {
  const pinned = new Set(thumbprints);
  const kept: PublicJwk[] = [];
  for (const key of served.keys) {
    if (pinned.has(await jwkThumbprint(key))) kept.push(key);
  }
  return kept;
}

function environmentJwks(): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.COUNTERSIGN_JWKS;
  return value?.trim() ? value.trim() : undefined;
}

/** `COUNTERSIGN_JWKS`: a JWK set as JSON, or (on Node) the path of a file holding one. */
export async function jwksFromEnvironment(): Promise<JwkSet | undefined> {
  const value = environmentJwks();
  if (value === undefined) return undefined;
  let text = value;
  if (!value.startsWith("{")) {
    try {
      const { readFile } = await import("node:fs/promises");
      text = await readFile(value, "utf8");
    } catch (error) {
      throw new CountersignError(
        "invalid_request",
        `COUNTERSIGN_JWKS: cannot read ${value}: ${String(error)}`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CountersignError("invalid_request", "COUNTERSIGN_JWKS is not a JSON JWK set");
  }
  const result = JwkSetSchema.safeParse(parsed);
  if (!result.success)
    throw new CountersignError("invalid_request", "COUNTERSIGN_JWKS is not a JWK set (GET /v1/keys)");
  return result.data;
}
