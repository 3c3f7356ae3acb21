import type { ProofVector } from "@countersign/verify/testing";
import type { Proof } from "../../protocol/proof.ts";
import { actionDigest } from "../action-digest.ts";
import { bound, refused, VECTOR_ACTION, type VectorSigner, verifies } from "./vector-signer.ts";

type Tampering = [
  field: string,
  change: (proof: Proof) => Record<string, unknown>,
  hmac: string,
  ed25519: string,
];

/** One vector per tampered field, for each signature: any change to signed content is caught. */
export async function tamperedProofVectors(signer: VectorSigner): Promise<ProofVector[]> {
  const { secrets, jwks } = signer;
  const approved = await signer.sign(await signer.unsigned({ proof_id: "prf_vector_approved" }));
  const edits = { ...VECTOR_ACTION.data, amount: 10000 };
  const edited = await signer.sign(await signer.unsigned({ proof_id: "prf_vector_edited", data: edits }));
  const otherDigest = await actionDigest({
    ...VECTOR_ACTION,
    data: { ...VECTOR_ACTION.data, amount: 99999 },
  });
  const signatureInvalid = "proof_invalid_signature";
  const tamperings: Tampering[] = [
    ["proof_id", (p) => ({ ...p, proof_id: "prf_other" }), signatureInvalid, signatureInvalid],
    ["pause_id", (p) => ({ ...p, pause_id: "pau_other" }), signatureInvalid, signatureInvalid],
    ["agent_id", (p) => ({ ...p, agent_id: "trusted-bot" }), signatureInvalid, signatureInvalid],
    ["action_digest", (p) => ({ ...p, action_digest: otherDigest }), signatureInvalid, signatureInvalid],
    ["decision", (p) => ({ ...p, decision: "rejected" }), signatureInvalid, signatureInvalid],
    ["human_response", (p) => ({ ...p, human_response: false }), signatureInvalid, signatureInvalid],
    [
      "decided_by",
      (p) => ({ ...p, decided_by: { ...p.decided_by, id: "mallory@acme.example" } }),
      signatureInvalid,
      signatureInvalid,
    ],
    [
      "decided_by.on_behalf_of",
      (p) => ({ ...p, decided_by: { ...p.decided_by, on_behalf_of: "ceo@acme.example" } }),
      signatureInvalid,
      signatureInvalid,
    ],
    ["reason", (p) => ({ ...p, reason: "because" }), signatureInvalid, signatureInvalid],
    ["data", (p) => ({ ...p, data: { payee: "Mallory", amount: 1 } }), signatureInvalid, signatureInvalid],
    [
      "issued_at",
      (p) => ({ ...p, issued_at: "2026-11-21T09:58:00.000Z" }),
      signatureInvalid,
      signatureInvalid,
    ],
    [
      "valid_until",
      (p) => ({ ...p, valid_until: "2027-11-21T10:14:00.000Z" }),
      signatureInvalid,
      signatureInvalid,
    ],
    // The HMAC kid picks the secret: a changed kid names no secret given. For Ed25519 it is signed content.
    ["kid", (p) => ({ ...p, kid: "hs_0000000000000000" }), "proof_unknown_key", signatureInvalid],
    ["v", (p) => ({ ...p, v: 2 }), "proof_unsupported_version", "proof_unsupported_version"],
    ["an added member", (p) => ({ ...p, extra: "smuggled" }), signatureInvalid, signatureInvalid],
    ["an added null member", (p) => ({ ...p, note: null }), signatureInvalid, signatureInvalid],
    [
      "signature",
      (p) => ({ ...p, signature: `sha256=${"0".repeat(64)}` }),
      signatureInvalid,
      "valid", // not covered by Ed25519, and not checked without the secret
    ],
    [
      "signatures[0].sig",
      (p) => ({
        ...p,
        signatures: [{ ...p.signatures[0], sig: `${p.signatures[0]!.sig.slice(0, -4)}AAAA` }],
      }),
      "valid",
      signatureInvalid,
    ],
    [
      "signatures[0].sig (not 64 bytes)",
      (p) => ({ ...p, signatures: [{ ...p.signatures[0], sig: "AAAA" }] }),
      "valid",
      signatureInvalid,
    ],
    [
      "signatures[0].kid",
      (p) => ({ ...p, signatures: [{ ...p.signatures[0], kid: jwks.other.kid }] }),
      "valid",
      "proof_unknown_key",
    ],
    ["signatures (emptied)", (p) => ({ ...p, signatures: [] }), "valid", "proof_unknown_key"],
  ];
  const vectors: ProofVector[] = [];
  for (const [field, change, hmac, ed25519] of tamperings) {
    const forged = change(approved);
    const checks: ["HMAC" | "Ed25519", ProofVector["options"] | undefined, string][] = [
      ["HMAC", { secrets: [secrets.current] } as ProofVector["options"], hmac],
      ["Ed25519", { keys: [jwks.current] } as ProofVector["options"], ed25519],
    ];
    for (const [label, keys, code] of checks) {
      vectors.push({
        name: `tampered ${field}, ${label}`,
        description: `The approved proof with its ${field} changed after signing, checked with ${label}.`,
        proof: forged,
        options: bound(keys),
        expect:
          code === "valid" ? verifies(approved, [label === "HMAC" ? "hmac" : "ed25519"]) : refused(code),
      });
    }
  }
  for (const keys of [{ secrets: [secrets.current] }, { keys: [jwks.current] }]) {
    const label = keys.secrets ? "HMAC" : "Ed25519";
    vectors.push({
      name: `edited data swapped back to the request, ${label}`,
      description: "An approval with edits whose data was replaced by the originally requested data.",
      proof: { ...edited, data: VECTOR_ACTION.data },
      options: bound(keys),
      expect: refused(signatureInvalid),
    });
  }
  return vectors;
}
