// Offline proof verifications per second, with the HMAC secret and with the Ed25519 public key.
import {
  actionDigest,
  generateEd25519Jwk,
  loadSigningKeys,
  publicJwkOf,
  signProof,
  verifyProof,
} from "@countersign/core";

export async function measureProofVerify({ seconds = 2 } = {}) {
  const secret = "bench-proof-secret-0123456789abcdef0123456789";
  const jwk = await generateEd25519Jwk();
  const keys = await loadSigningKeys({ secret, ed25519: jwk });
  const action = { type: "payment", data: { payee: "Acme Corp", amount: 12450 } };
  const now = new Date();
  const proof = await signProof(
    {
      v: 1,
      proof_id: "prf_bench",
      pause_id: "pau_bench",
      agent_id: "bench",
      action_digest: await actionDigest(action),
      decision: "approved",
      human_response: true,
      decided_by: { kind: "human", id: "alice@example.com", channel: "api" },
      reason: null,
      data: null,
      issued_at: now.toISOString(),
      valid_until: new Date(now.getTime() + 900_000).toISOString(),
    },
    keys,
  );
  const publicKeys = [await publicJwkOf(jwk)];
  async function rate(options) {
    let count = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      await verifyProof(proof, { ...options, pauseId: "pau_bench", action });
      count++;
    }
    return Math.round(count / seconds);
  }
  return {
    hmac_per_second: await rate({ secret }),
    ed25519_per_second: await rate({ keys: publicKeys }),
  };
}
