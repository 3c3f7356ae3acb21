import { canonicalJson, type JwkSet, type PublicJwk, toBase64Url, utf8 } from "@countersign/verify";
import type { CallResult } from "./countersign-calls.ts";
import type { EnforceTrust } from "./enforce-options.ts";

/**
 * The keys proofs are checked with. Pinned keys are used as given. With
 * thumbprints, Countersign's keys are fetched (once, again when a proof
 * names a key not seen yet) and only the pinned ones kept: a server that
 * serves a key of its own choosing is not believed.
 */
export function trustedKeys(trust: EnforceTrust, fetchKeys: () => Promise<CallResult<JwkSet>>) {
  const pinned =
    trust.keys === undefined ? null : Array.isArray(trust.keys) ? trust.keys : (trust.keys as JwkSet).keys;
  let cached: PublicJwk[] | null = null;
  return async function keysFor(kid: string | undefined): Promise<CallResult<PublicJwk[]>> {
    if (pinned !== null) return { kind: "ok", status: 200, body: [...pinned] };
    if (cached !== null && (kid === undefined || cached.some((key) => key.kid === kid))) {
      return { kind: "ok", status: 200, body: cached };
    }
    const served = await fetchKeys();
    if (served.kind !== "ok") return served;
    const wanted = new Set(trust.thumbprints ?? []);
    const kept: PublicJwk[] = [];
    for (const key of served.body.keys ?? []) {
      if (wanted.has(await thumbprint(key))) kept.push(key);
    }
    cached = kept;
    return { kind: "ok", status: 200, body: kept };
  };
}

/** RFC 7638 thumbprint of an Ed25519 JWK. */
async function thumbprint(jwk: PublicJwk): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    utf8(canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })),
  );
  return toBase64Url(digest);
}
