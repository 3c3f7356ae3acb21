import type { ProofOutcome, ProofVector } from "@countersign/verify/testing";
import type { Action } from "../../protocol/action.ts";
import type { PublicJwk } from "../../protocol/keys.ts";
import type { Proof, UnsignedProof } from "../../protocol/proof.ts";
import { actionDigest, approvedAction } from "../action-digest.ts";
import { signProof } from "../sign-proof.ts";
import { loadSigningKeys, publicJwkOf, type SigningKeys } from "../signing-keys.ts";
import type { VectorKeys } from "./vector-keys.ts";

export const VECTOR_NOW = "2026-11-21T10:00:00.000Z";
export const VECTOR_PAUSE_ID = "pau_vector";

/** The action the vectors are bound to: nested data, non-ASCII text, a float. */
export const VECTOR_ACTION: Action = {
  type: "payment",
  title: "Pay Acme Corp — Zürich €12,450.50",
  description: "Invoice 2026-114 🏔",
  data: {
    payee: "Acme Corp — Zürich",
    amount: 12450.5,
    currency: "EUR",
    lines: [
      { sku: "A-1", quantity: 3, note: null },
      { sku: "B-2", quantity: 1, gift: true },
    ],
  },
  risk: "high",
};

type KeyName = "current" | "previous" | "other";

/** Signs vectors with core's real signer (`signProof`, `loadSigningKeys`), as the server does. */
export interface VectorSigner {
  sign(unsigned: Omit<UnsignedProof, "kid">, keyName?: KeyName): Promise<Proof>;
  /** An approval of VECTOR_ACTION, with overrides (e.g. `data` for edits: the digest follows them). */
  unsigned(overrides?: Partial<Omit<UnsignedProof, "kid">>): Promise<Omit<UnsignedProof, "kid">>;
  secrets: Record<KeyName, string>;
  jwks: Record<KeyName, PublicJwk>;
}

export async function createVectorSigner(keys: VectorKeys): Promise<VectorSigner> {
  const names: KeyName[] = ["current", "previous", "other"];
  const signing = {} as Record<KeyName, SigningKeys>;
  const jwks = {} as Record<KeyName, PublicJwk>;
  for (const name of names) {
    signing[name] = await loadSigningKeys({ secret: keys.proof_secrets[name], ed25519: keys.ed25519[name] });
    jwks[name] = await publicJwkOf(keys.ed25519[name]);
  }
  return {
    sign: (unsigned, keyName = "current") => signProof(unsigned, signing[keyName]),
    async unsigned(overrides = {}) {
      const data = overrides.data ?? null;
      return {
        v: 1,
        proof_id: "prf_vector",
        pause_id: VECTOR_PAUSE_ID,
        agent_id: "billing-agent",
        action_digest: await actionDigest(approvedAction(VECTOR_ACTION, data)),
        decision: "approved",
        human_response: true,
        decided_by: { kind: "human", id: "alice@acme.example", channel: "slack" },
        reason: null,
        data,
        issued_at: "2026-11-21T09:59:00.000Z",
        valid_until: "2026-11-21T10:14:00.000Z",
        ...overrides,
      };
    },
    secrets: keys.proof_secrets,
    jwks,
  };
}

/** The outcome of a proof that verifies. */
export function verifies(proof: Proof, verifiedWith: ("hmac" | "ed25519")[]): ProofOutcome {
  return {
    valid: true,
    approved: proof.decision === "approved",
    decision: proof.decision,
    data: proof.data,
    verified_with: verifiedWith,
  };
}

export function refused(code: string): ProofOutcome {
  return { valid: false, code };
}

/** Options bound to the vectors' pause and action, at VECTOR_NOW. */
export function bound(extra: Partial<ProofVector["options"]> = {}): ProofVector["options"] {
  return { pause_id: VECTOR_PAUSE_ID, action: VECTOR_ACTION, now: VECTOR_NOW, ...extra };
}
