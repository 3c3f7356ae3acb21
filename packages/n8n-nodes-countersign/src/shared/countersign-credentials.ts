import { decodeWebhookSecret, MIN_PROOF_SECRET_LENGTH, type PublicJwk } from "@countersign/verify";
import type { ICredentialDataDecryptedObject } from "n8n-workflow";

export const CREDENTIAL_TYPE = "countersignApi";

/** The "Countersign API" credential, checked. */
export interface CountersignCredentials {
  serverUrl: string;
  apiKey: string;
  webhookSecret: string;
  proofSecret: string | undefined;
  publicKeys: PublicJwk[];
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/**
 * Reads and checks the credential. Throws an `Error` naming the field at
 * fault: without a way to verify proofs, nothing could ever be approved, so a
 * misconfiguration fails loudly before a pause is opened.
 */
export function parseCredentials(raw: ICredentialDataDecryptedObject): CountersignCredentials {
  const serverUrl = text(raw.serverUrl).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(serverUrl)) {
    throw new Error("Countersign API credential: Server URL must be an http(s) URL");
  }
  const apiKey = text(raw.apiKey);
  if (apiKey === "") throw new Error("Countersign API credential: Agent API Key is empty");
  const webhookSecret = text(raw.webhookSecret);
  try {
    decodeWebhookSecret(webhookSecret);
  } catch {
    throw new Error("Countersign API credential: Webhook Secret must be `whsec_` followed by base64");
  }
  const proofSecret = text(raw.proofSecret) || undefined;
  if (proofSecret !== undefined && proofSecret.length < MIN_PROOF_SECRET_LENGTH) {
    throw new Error(
      `Countersign API credential: Proof Secret is shorter than ${MIN_PROOF_SECRET_LENGTH} characters`,
    );
  }
  const publicKeys = parsePublicKeys(raw.publicKeys);
  if (proofSecret === undefined && publicKeys.length === 0) {
    throw new Error(
      "Countersign API credential: give the Proof Secret or the Public Keys; without them no decision can be verified",
    );
  }
  return { serverUrl, apiKey, webhookSecret, proofSecret, publicKeys };
}

function parsePublicKeys(raw: unknown): PublicJwk[] {
  let value: unknown = raw;
  if (typeof raw === "string") {
    if (raw.trim() === "") return [];
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error("Countersign API credential: Public Keys is not JSON");
    }
  }
  if (value === undefined || value === null) return [];
  const keys = Array.isArray(value) ? value : (value as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) {
    throw new Error('Countersign API credential: Public Keys must be a JWK set, {"keys": [...]}');
  }
  return keys.map((key, index) => {
    const jwk = key as Record<string, unknown>;
    if (
      jwk?.kty !== "OKP" ||
      jwk.crv !== "Ed25519" ||
      typeof jwk.x !== "string" ||
      typeof jwk.kid !== "string"
    ) {
      throw new Error(
        `Countersign API credential: Public Keys entry ${index} is not an Ed25519 JWK with a kid`,
      );
    }
    return jwk as PublicJwk;
  });
}
