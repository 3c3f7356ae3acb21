import { isCountersignError } from "../errors/countersign-error.ts";
import { actionDigest } from "../proof/action-digest.ts";
import { canonicalJson } from "../proof/canonical-json.ts";
import { verifyProof } from "../proof/verify-proof.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import type { PauseStatus } from "../protocol/pause.ts";
import { type EvidenceBundle, EvidenceBundleSchema } from "./evidence-bundle.ts";
import { type AuditProblemKind, verifyAuditLog } from "./verify-audit-log.ts";

export interface BundleProblem {
  kind: AuditProblemKind | "proof_invalid" | "pause_mismatch";
  seq: number | null;
  message: string;
}

export interface BundleVerification {
  valid: boolean;
  pauseId: string | null;
  status: PauseStatus | null;
  /** The pause's own audit events in the bundle. */
  pauseEvents: number;
  problem: BundleProblem | null;
}

/**
 * Verifies an evidence bundle with the server's public keys alone: the
 * checkpoint's signature, every link of the chain up to it, that the pause
 * is the one its events opened, and that its proof is authentic, for this
 * pause and action, and recorded in the log.
 */
export async function verifyEvidenceBundle(
  input: unknown,
  options: { keys: JwkSet | readonly PublicJwk[] },
): Promise<BundleVerification> {
  const parsed = EvidenceBundleSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(bundle)").join(", ");
    return result(null, 0, {
      kind: "malformed",
      seq: null,
      message: `Not an evidence bundle (at ${fields})`,
    });
  }
  const bundle = parsed.data;
  const ownEvents = bundle.events.filter((event) => event.pause_id === bundle.pause.pause_id);
  const fail = (problem: BundleProblem) => result(bundle, ownEvents.length, problem);

  const chain = await verifyAuditLog(bundle.events, {
    segment: true,
    keys: options.keys,
    checkpoint: bundle.checkpoint,
  });
  if (!chain.valid && chain.problem) {
    return fail({ kind: chain.problem.kind, seq: chain.problem.seq, message: chain.problem.message });
  }
  if (bundle.checkpoint.size !== chain.size) {
    return fail({
      kind: "checkpoint_mismatch",
      seq: chain.size,
      message: `The checkpoint covers seq ${bundle.checkpoint.size}, not the bundle's last event ${chain.size}`,
    });
  }
  const mismatch = await checkPause(bundle);
  if (mismatch) return fail(mismatch);
  const proofProblem = await checkProof(bundle, options.keys);
  if (proofProblem) return fail(proofProblem);
  return result(bundle, ownEvents.length, null);
}

function result(
  bundle: EvidenceBundle | null,
  pauseEvents: number,
  problem: BundleProblem | null,
): BundleVerification {
  return {
    valid: problem === null,
    pauseId: bundle?.pause.pause_id ?? null,
    status: bundle?.pause.status ?? null,
    pauseEvents,
    problem,
  };
}

/** The bundle's chain starts with this pause being opened, for this very action, and ends with its last event. */
async function checkPause(bundle: EvidenceBundle): Promise<BundleProblem | null> {
  const { pause, events } = bundle;
  const opened = events[0]!;
  const last = events.at(-1)!;
  if (opened.pause_id !== pause.pause_id || opened.type !== "pause.opened") {
    return {
      kind: "pause_mismatch",
      seq: opened.seq,
      message: "The chain does not start with this pause being opened",
    };
  }
  if (last.pause_id !== pause.pause_id) {
    return {
      kind: "pause_mismatch",
      seq: last.seq,
      message: "The chain does not end with an event of this pause",
    };
  }
  if (
    opened.agent_id !== pause.agent_id ||
    opened.data.action_digest !== (await actionDigest(pause.action))
  ) {
    return {
      kind: "pause_mismatch",
      seq: opened.seq,
      message: "The pause's agent or action differs from what the audit log recorded when it was opened",
    };
  }
  return null;
}

async function checkProof(
  bundle: EvidenceBundle,
  keys: JwkSet | readonly PublicJwk[],
): Promise<BundleProblem | null> {
  const { pause, proof } = bundle;
  const needsProof = pause.status === "approved" || pause.status === "rejected" || pause.status === "expired";
  if (!needsProof) {
    return proof === null && pause.proof === null
      ? null
      : { kind: "proof_invalid", seq: null, message: `A ${pause.status} pause has no proof` };
  }
  if (proof === null || pause.proof === null || canonicalJson(proof) !== canonicalJson(pause.proof)) {
    return {
      kind: "proof_invalid",
      seq: null,
      message: "The bundle's proof is missing or differs from the pause's",
    };
  }
  try {
    // Authenticity is checked as of issuance: an approval's deadline has long passed when an auditor looks.
    await verifyProof(proof, {
      keys,
      pauseId: pause.pause_id,
      action: pause.action,
      require: "decided",
      now: new Date(proof.issued_at),
    });
  } catch (error) {
    if (!isCountersignError(error)) throw error;
    return { kind: "proof_invalid", seq: null, message: `${error.code}: ${error.message}` };
  }
  if (proof.decision !== pause.status) {
    return {
      kind: "proof_invalid",
      seq: null,
      message: `The proof says ${proof.decision}, the pause ${pause.status}`,
    };
  }
  const recorded = bundle.events.find(
    (event) => event.pause_id === pause.pause_id && event.data.proof_id === proof.proof_id,
  );
  if (!recorded) {
    return {
      kind: "proof_invalid",
      seq: null,
      message: `Proof ${proof.proof_id} is not recorded in the audit log`,
    };
  }
  return null;
}
