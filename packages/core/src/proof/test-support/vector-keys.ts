import { randomBytes } from "node:crypto";
import { generateWebhookSecret } from "../../webhooks/standard-webhooks.ts";
import { generateEd25519Jwk, type PrivateEd25519Jwk } from "../signing-keys.ts";

/**
 * The keys the shared test vectors are signed with. Test keys only, published
 * on purpose (test-vectors/keys.json) so anyone can re-sign the vectors; they
 * are generated once and then read back, which keeps the vectors byte-stable
 * (HMAC and Ed25519 signatures are deterministic).
 */
export type VectorKeys = {
  description: string;
  proof_secrets: { current: string; previous: string; other: string };
  ed25519: { current: PrivateEd25519Jwk; previous: PrivateEd25519Jwk; other: PrivateEd25519Jwk };
  webhook_secrets: { current: string; other: string };
};

export async function generateVectorKeys(): Promise<VectorKeys> {
  const secret = () => `cs_proof_test_vector_${randomBytes(24).toString("base64url")}`;
  return {
    description:
      "TEST KEYS ONLY, published so the vectors can be re-signed. Never configure a server with them.",
    proof_secrets: { current: secret(), previous: secret(), other: secret() },
    ed25519: {
      current: await generateEd25519Jwk(),
      previous: await generateEd25519Jwk(),
      other: await generateEd25519Jwk(),
    },
    webhook_secrets: { current: generateWebhookSecret(), other: generateWebhookSecret() },
  };
}
