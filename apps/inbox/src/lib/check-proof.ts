import type { Action, ActionData, JwkSet, Proof } from "@countersign/core";
import { canonicalJson } from "./canonical-json.ts";

const SIGNING_PREFIX = "countersign.proof.v1.";

export interface ProofCheck {
  valid: boolean;
  /** What was checked, or what failed, in a sentence. */
  detail: string;
}

/**
 * Checks a decision proof in the browser with WebCrypto, the way an auditor
 * would: its Ed25519 signature against the server's public keys (`/v1/keys`),
 * that it names this pause, and that its digest covers this action as decided.
 */
export async function checkProof(
  proof: Proof,
  expected: { pauseId: string; action: Action },
  keys: JwkSet,
): Promise<ProofCheck> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    return { valid: false, detail: "This browser cannot check signatures here (the page needs HTTPS)." };
  if (proof.v !== 1) return { valid: false, detail: `Proof version ${proof.v} is not supported.` };
  if (proof.pause_id !== expected.pauseId) return { valid: false, detail: "The proof is for another pause." };
  const { signature: _signature, signatures, ...unsigned } = proof;
  const input = new TextEncoder().encode(SIGNING_PREFIX + canonicalJson(unsigned));
  let known = false;
  let verified = false;
  for (const entry of signatures ?? []) {
    const jwk = keys.keys.find((key) => key.kid === entry.kid);
    const signature = jwk && fromBase64Url(entry.sig);
    if (!jwk || !signature) continue;
    known = true;
    try {
      const key = await subtle.importKey(
        "jwk",
        { kty: "OKP", crv: "Ed25519", x: jwk.x },
        { name: "Ed25519" },
        false,
        ["verify"],
      );
      if (await subtle.verify({ name: "Ed25519" }, key, signature, input)) {
        verified = true;
        break;
      }
    } catch {
      return { valid: false, detail: "This browser cannot check Ed25519 signatures." };
    }
  }
  if (!known) return { valid: false, detail: "The proof is signed by none of this server's keys." };
  if (!verified) return { valid: false, detail: "The Ed25519 signature does not match the proof." };
  const digest = await actionDigest(approvedAction(expected.action, proof.data));
  if (digest !== proof.action_digest) {
    return { valid: false, detail: "The signature is genuine, but for a different action." };
  }
  return {
    valid: true,
    detail: "Checked in this browser with the server's public Ed25519 key, for this exact action.",
  };
}

function approvedAction(action: Action, edited: ActionData | null): Action {
  return edited == null ? action : { ...action, data: edited };
}

async function actionDigest(action: Action): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalJson(action)));
  return `sha256:${Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const normal = text.replaceAll("-", "+").replaceAll("_", "/");
    const binary = atob(normal.padEnd(Math.ceil(normal.length / 4) * 4, "="));
    return Uint8Array.from(binary, (character) => character.charCodeAt(0));
  } catch {
    return null;
  }
}
