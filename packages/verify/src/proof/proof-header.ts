import { fromBase64, toBase64Url, utf8 } from "../encoding/encoding.ts";

/**
 * The HTTP header that carries a decision proof to the service where the
 * action happens: base64url (no padding) of the proof's JSON, exactly as
 * Countersign returned it. A proof-gated endpoint (`@countersign/enforce`)
 * reads it, verifies it with pinned keys, and claims the pause before acting.
 */
export const PROOF_HEADER = "Countersign-Proof";

/** Refused before decoding: a proof is a few hundred bytes; this leaves room for edited arguments. */
export const MAX_PROOF_HEADER_LENGTH = 64 * 1024;

/** The header value for a proof: base64url of its JSON (a JSON string is sent as it is). */
export function encodeProofHeader(proof: object | string): string {
  const json = typeof proof === "string" ? proof : JSON.stringify(proof);
  return toBase64Url(utf8(json));
}

/**
 * The headers to add to an outgoing request so a proof-gated endpoint runs
 * the approved action: `fetch(url, { headers: { ...proofHeaders(proof), … } })`.
 */
export function proofHeaders(proof: object | string): { "Countersign-Proof": string } {
  return { [PROOF_HEADER]: encodeProofHeader(proof) } as { "Countersign-Proof": string };
}

/**
 * The proof's JSON bytes from a header value (base64url or base64), ready for
 * `verifyProof`; `null` when the value is too long or not base64.
 */
export function decodeProofHeader(value: string): Uint8Array<ArrayBuffer> | null {
  const trimmed = value.trim();
  if (trimmed === "" || trimmed.length > MAX_PROOF_HEADER_LENGTH) return null;
  return fromBase64(trimmed);
}
