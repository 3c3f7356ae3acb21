import type { ProofVector } from "@countersign/verify/testing";
import { bound, refused, type VectorSigner, verifies } from "./vector-signer.ts";

/** Which keys verify: rotation (old kids keep verifying with the old key), unknown and substituted keys. */
export async function keyProofVectors(signer: VectorSigner): Promise<ProofVector[]> {
  const { secrets, jwks } = signer;
  const current = await signer.sign(await signer.unsigned({ proof_id: "prf_vector_approved" }));
  const old = await signer.sign(await signer.unsigned({ proof_id: "prf_vector_old_key" }), "previous");
  const substituted = { ...jwks.current, kid: jwks.previous.kid };
  return [
    {
      name: "rotation: an old kid verifies with the old public key",
      description: "Signed by the previous key; the verifier pins the current and the previous key.",
      proof: old,
      options: bound({ keys: [jwks.current, jwks.previous] }),
      expect: verifies(old, ["ed25519"]),
    },
    {
      name: "rotation: an old kid verifies with the old secret",
      description: "Signed with the previous secret; the verifier holds the current and the previous one.",
      proof: old,
      options: bound({ secrets: [secrets.current, secrets.previous] }),
      expect: verifies(old, ["hmac"]),
    },
    {
      name: "rotation: an old kid is unknown once its public key is dropped",
      description: "Only the current key is pinned.",
      proof: old,
      options: bound({ keys: [jwks.current] }),
      expect: refused("proof_unknown_key"),
    },
    {
      name: "rotation: an old kid is unknown once its secret is dropped",
      description: "Only the current secret is held.",
      proof: old,
      options: bound({ secrets: [secrets.current] }),
      expect: refused("proof_unknown_key"),
    },
    {
      name: "unknown public key",
      description: "A key set that does not hold the signing key.",
      proof: current,
      options: bound({ keys: [jwks.other] }),
      expect: refused("proof_unknown_key"),
    },
    {
      name: "another secret",
      description: "A secret that did not sign the proof (its kid differs).",
      proof: current,
      options: bound({ secrets: [secrets.other] }),
      expect: refused("proof_unknown_key"),
    },
    {
      name: "a substituted key under a known kid",
      description: "A different public key published under the signing key's kid.",
      proof: current,
      options: bound({ keys: [{ ...jwks.previous, kid: jwks.current.kid }] }),
      expect: refused("proof_invalid_signature"),
    },
    {
      name: "the right key under another kid",
      description: "The signing key pinned under another kid does not match the proof's kid.",
      proof: current,
      options: bound({ keys: [substituted] }),
      expect: refused("proof_unknown_key"),
    },
    {
      name: "no key at all",
      description: "Neither a secret nor a public key: nothing can be verified.",
      proof: current,
      options: bound(),
      expect: refused("proof_unknown_key"),
    },
    {
      name: "a secret too short to be a proof secret",
      description: "Verifiers refuse secrets under 32 characters (the caller's mistake, not the proof's).",
      proof: current,
      options: bound({ secrets: ["short-secret"] }),
      expect: refused("invalid_request"),
    },
    {
      name: "both signatures required when both are given",
      description: "A valid HMAC does not excuse an unknown Ed25519 key.",
      proof: current,
      options: bound({ secrets: [secrets.current], keys: [jwks.other] }),
      expect: refused("proof_unknown_key"),
    },
  ];
}
