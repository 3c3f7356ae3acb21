import type { ProofVector } from "@countersign/verify/testing";
import type { Proof } from "../../protocol/proof.ts";
import { actionDigest } from "../action-digest.ts";
import {
  bound,
  refused,
  VECTOR_ACTION,
  VECTOR_NOW,
  VECTOR_PAUSE_ID,
  type VectorSigner,
  verifies,
} from "./vector-signer.ts";

/** Genuine proofs of every kind the server issues, each checked with HMAC, Ed25519 and both. */
export async function validProofVectors(signer: VectorSigner): Promise<ProofVector[]> {
  const { secrets, jwks } = signer;
  const approved = await signer.sign(await signer.unsigned({ proof_id: "prf_vector_approved" }));
  const edits = {
    ...VECTOR_ACTION.data,
    amount: 10000,
    lines: [{ sku: "A-1", quantity: 2, note: "two only" }],
  };
  const edited = await signer.sign(await signer.unsigned({ proof_id: "prf_vector_edited", data: edits }));
  const rejected = await signer.sign(
    await signer.unsigned({ proof_id: "prf_vector_rejected", decision: "rejected", reason: "Wrong payee" }),
  );
  const policy = await signer.sign({
    ...(await signer.unsigned({
      proof_id: "prf_vector_policy",
      human_response: false,
      decided_by: { kind: "policy", id: "policy:small-payments", rule: "small-payments" },
    })),
    policy: { rule: "small-payments", version: "sha256:5f0c" },
  } as Omit<Proof, "kid" | "signature" | "signatures">);
  const quorum = await signer.sign({
    ...(await signer.unsigned({ proof_id: "prf_vector_quorum" })),
    policy: { rule: "large-payments", version: "sha256:5f0c" },
    approvals: [
      { id: "alice@acme.example", channel: "slack", at: "2026-11-21T09:58:00.000Z" },
      { id: "bob@acme.example", channel: "email", at: "2026-11-21T09:59:00.000Z" },
    ],
  } as Omit<Proof, "kid" | "signature" | "signatures">);
  const delegated = await signer.sign(
    await signer.unsigned({
      proof_id: "prf_vector_delegated",
      decided_by: {
        kind: "human",
        id: "bob@acme.example",
        channel: "web",
        on_behalf_of: "alice@acme.example",
      },
    }),
  );
  const timedOut = await signer.sign(
    await signer.unsigned({
      proof_id: "prf_vector_timeout",
      decision: "expired",
      human_response: false,
      decided_by: { kind: "timeout", id: "countersign" },
      reason: "No decision before the pause expired",
    }),
  );
  const hmac = { secrets: [secrets.current] };
  const ed25519 = { keys: [jwks.current] };
  const both = { ...hmac, ...ed25519 };
  const later = (seconds: number) =>
    new Date(Date.parse(approved.valid_until) + seconds * 1000).toISOString();

  return [
    {
      name: "approved, HMAC and Ed25519",
      description: "A human approval, checked with the secret and the pinned public key.",
      proof: approved,
      options: bound(both),
      expect: verifies(approved, ["hmac", "ed25519"]),
    },
    {
      name: "approved, HMAC only",
      description: "The proof secret alone.",
      proof: approved,
      options: bound(hmac),
      expect: verifies(approved, ["hmac"]),
    },
    {
      name: "approved, Ed25519 only",
      description: "The pinned public key alone: a party without the secret.",
      proof: approved,
      options: bound(ed25519),
      expect: verifies(approved, ["ed25519"]),
    },
    {
      name: "approved, as JSON text with white space",
      description: "The same proof as indented text: white space is not signed.",
      proof_json: JSON.stringify(approved, null, 2),
      options: bound(both),
      expect: verifies(approved, ["hmac", "ed25519"]),
    },
    {
      name: "approved, bound by action digest",
      description: "The caller gives the expected digest instead of the action.",
      proof: approved,
      options: {
        pause_id: VECTOR_PAUSE_ID,
        action_digest: approved.action_digest,
        now: VECTOR_NOW,
        ...ed25519,
      },
      expect: verifies(approved, ["ed25519"]),
    },
    {
      name: "approved with edited data",
      description: "The approver changed the arguments: the digest covers the action as approved.",
      proof: edited,
      options: bound(both),
      expect: verifies(edited, ["hmac", "ed25519"]),
    },
    {
      name: "approved by policy",
      description: "An auto-approve rule decided; the extra `policy` member is signed too.",
      proof: policy,
      options: bound(both),
      expect: verifies(policy, ["hmac", "ed25519"]),
    },
    {
      name: "approved by a quorum",
      description: "Two approvers; the `approvals` list is signed.",
      proof: quorum,
      options: bound(both),
      expect: verifies(quorum, ["hmac", "ed25519"]),
    },
    {
      name: "approved by a delegate",
      description:
        "Bob decided while Alice delegated to him: `decided_by.on_behalf_of` names her, and is signed.",
      proof: delegated,
      options: bound(both),
      expect: verifies(delegated, ["hmac", "ed25519"]),
    },
    {
      name: "rejected, when a decision is enough",
      description: "An authentic rejection verifies with require: decided.",
      proof: rejected,
      options: bound({ ...both, require: "decided" }),
      expect: verifies(rejected, ["hmac", "ed25519"]),
    },
    {
      name: "rejected, when an approval is required",
      description: "The default requires an approval.",
      proof: rejected,
      options: bound(both),
      expect: refused("proof_not_approved"),
    },
    {
      name: "rejected, long after valid_until",
      description: "A rejection stays a rejection: it does not expire.",
      proof: rejected,
      options: bound({ ...both, require: "decided", now: later(86_400) }),
      expect: verifies(rejected, ["hmac", "ed25519"]),
    },
    {
      name: "expired pause, when a decision is enough",
      description: "Nobody decided in time: decision `expired`, decided by `timeout`.",
      proof: timedOut,
      options: bound({ ...ed25519, require: "decided" }),
      expect: verifies(timedOut, ["ed25519"]),
    },
    {
      name: "expired pause, when an approval is required",
      description: "An expiry is a denial.",
      proof: timedOut,
      options: bound(ed25519),
      expect: refused("proof_not_approved"),
    },
    {
      name: "approval inside the clock-skew allowance",
      description: "20 s past valid_until, with the default 30 s allowance.",
      proof: approved,
      options: bound({ ...both, now: later(20) }),
      expect: verifies(approved, ["hmac", "ed25519"]),
    },
    {
      name: "approval past the clock-skew allowance",
      description: "31 s past valid_until.",
      proof: approved,
      options: bound({ ...both, now: later(31) }),
      expect: refused("proof_expired"),
    },
    {
      name: "approval past valid_until with no allowance",
      description: "clock_skew_seconds 0, one second late.",
      proof: approved,
      options: bound({ ...both, now: later(1), clock_skew_seconds: 0 }),
      expect: refused("proof_expired"),
    },
    {
      name: "approval, expired but only a decision is required",
      description: "require: decided still refuses an approval past its deadline (it would be acted on).",
      proof: approved,
      options: bound({ ...both, require: "decided", now: later(3600) }),
      expect: refused("proof_expired"),
    },
    {
      name: "approved, unbound",
      description: "No pause id and no action given: only authenticity is checked (callers should bind).",
      proof: approved,
      options: { now: VECTOR_NOW, ...ed25519 },
      expect: verifies(approved, ["ed25519"]),
    },
    {
      name: "genuine proof for another pause",
      description: "The caller expects another pause.",
      proof: approved,
      options: bound({ ...both, pause_id: "pau_other" }),
      expect: refused("proof_wrong_pause"),
    },
    {
      name: "genuine proof for another action",
      description: "The caller's action differs in one argument.",
      proof: approved,
      options: bound({
        ...both,
        action: { ...VECTOR_ACTION, data: { ...VECTOR_ACTION.data, amount: 99999 } },
      }),
      expect: refused("proof_digest_mismatch"),
    },
    {
      name: "genuine proof for another action digest",
      description: "The caller's expected digest differs.",
      proof: approved,
      options: {
        pause_id: VECTOR_PAUSE_ID,
        action_digest: await actionDigest({ type: "payment" }),
        now: VECTOR_NOW,
        ...both,
      },
      expect: refused("proof_digest_mismatch"),
    },
    {
      name: "edited proof, whatever data the request had",
      description: "Edits replace the requested data entirely; the rest of the action must match.",
      proof: edited,
      options: bound({ ...both, action: { ...VECTOR_ACTION, data: { payee: "Mallory" } } }),
      expect: verifies(edited, ["hmac", "ed25519"]),
    },
  ];
}
