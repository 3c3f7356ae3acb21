import { verifyReceipt } from "@countersign/verify";
import { isCountersignError } from "../errors/countersign-error.ts";
import { actionDigest } from "../proof/action-digest.ts";
import { canonicalJson } from "../proof/canonical-json.ts";
import { verifyProof } from "../proof/verify-proof.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import type { Pause, PauseStatus } from "../protocol/pause.ts";
import type { Proof } from "../protocol/proof.ts";
import type { Execution } from "../protocol/receipt.ts";
import { auditEventHash, auditLeafHash } from "./audit-chain.ts";
import { verifyCheckpoint } from "./audit-checkpoint.ts";
import { type EvidenceBundle, EvidenceBundleSchema, type EvidenceBundleV2 } from "./evidence-bundle.ts";
import { parseHash } from "./merkle-hash.ts";
import { verifyInclusion } from "./merkle-proofs.ts";
import { type AuditProblemKind, verifyAuditLog } from "./verify-audit-log.ts";

export interface BundleProblem {
  kind: AuditProblemKind | "not_included" | "proof_invalid" | "pause_mismatch" | "receipt_invalid";
  seq: number | null;
  message: string;
}

export interface BundleVerification {
  valid: boolean;
  /** The bundle format's version. */
  v: 1 | 2 | null;
  pauseId: string | null;
  status: PauseStatus | null;
  /** The pause's own audit events in the bundle. */
  pauseEvents: number;
  /** Size of the log the checkpoint signed. */
  logSize: number | null;
  problem: BundleProblem | null;
}

/**
 * Verifies an evidence bundle with pinned public keys alone. v2: the
 * checkpoint's signature, each event's hash and its inclusion proof in the
 * checkpoint's Merkle tree. v1: every link of the chain segment up to its
 * checkpoint. Both: that the pause is the one its events opened, and that its
 * proof is authentic, for this pause and action, and recorded in the log.
 */
export async function verifyEvidenceBundle(
  input: unknown,
  options: { keys: JwkSet | readonly PublicJwk[] },
): Promise<BundleVerification> {
  const parsed = EvidenceBundleSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(bundle)").join(", ");
    return result(null, {
      kind: "malformed",
      seq: null,
      message: `Not an evidence bundle (at ${fields})`,
    });
  }
  const bundle = parsed.data;
  const log =
    bundle.v === 2 ? await checkIncluded(bundle, options.keys) : await checkChain(bundle, options.keys);
  if (log) return result(bundle, log);
  const mismatch = await checkPause(bundle.pause, bundle.events);
  if (mismatch) return result(bundle, mismatch);
  const proofProblem = await checkProof(bundle.pause, bundle.proof, bundle.events, options.keys);
  if (proofProblem) return result(bundle, proofProblem);
  const execution = bundle.v === 2 ? (bundle.execution ?? null) : null;
  return result(bundle, await checkExecution(bundle.pause, execution, bundle.events, options.keys));
}

function result(bundle: EvidenceBundle | null, problem: BundleProblem | null): BundleVerification {
  return {
    valid: problem === null,
    v: bundle?.v ?? null,
    pauseId: bundle?.pause.pause_id ?? null,
    status: bundle?.pause.status ?? null,
    pauseEvents: bundle?.events.filter((event) => event.pause_id === bundle.pause.pause_id).length ?? 0,
    logSize: bundle?.checkpoint.size ?? null,
    problem,
  };
}

/** v2: only this pause's events, each hashed as recorded and proven to sit at its `seq` in the signed tree. */
async function checkIncluded(
  bundle: EvidenceBundleV2,
  keys: JwkSet | readonly PublicJwk[],
): Promise<BundleProblem | null> {
  const checked = await verifyCheckpoint(bundle.checkpoint, keys);
  if (!checked.ok) return { kind: "checkpoint_invalid", seq: null, message: checked.message };
  const { checkpoint } = bundle;
  const root = parseHash(checkpoint.root_hash)!;
  if (bundle.inclusion.length !== bundle.events.length) {
    return { kind: "malformed", seq: null, message: "The bundle needs one inclusion proof per event" };
  }
  let previousSeq = 0;
  for (const [index, event] of bundle.events.entries()) {
    if (event.pause_id !== bundle.pause.pause_id) {
      return { kind: "pause_mismatch", seq: event.seq, message: `Event seq ${event.seq} is another pause's` };
    }
    if (event.seq <= previousSeq) {
      return { kind: "reordered", seq: event.seq, message: `Event seq ${event.seq} is out of order` };
    }
    previousSeq = event.seq;
    const { hash, ...unhashed } = event;
    if (auditEventHash(unhashed) !== hash) {
      return {
        kind: "edited",
        seq: event.seq,
        message: `Event seq ${event.seq} was changed: its hash does not match its content`,
      };
    }
    const proof = bundle.inclusion[index]!.map((hex) => Buffer.from(hex, "hex"));
    if (
      event.seq > checkpoint.size ||
      !verifyInclusion(event.seq - 1, checkpoint.size, auditLeafHash(event), proof, root)
    ) {
      return {
        kind: "not_included",
        seq: event.seq,
        message: `Event seq ${event.seq} is not in the log the checkpoint of ${checkpoint.at} signed`,
      };
    }
  }
  return null;
}

/** v1: the contiguous chain segment links up and ends where the checkpoint says. */
async function checkChain(
  bundle: Extract<EvidenceBundle, { v: 1 }>,
  keys: JwkSet | readonly PublicJwk[],
): Promise<BundleProblem | null> {
  const chain = await verifyAuditLog(bundle.events, { segment: true, keys, checkpoint: bundle.checkpoint });
  if (!chain.valid && chain.problem) {
    return { kind: chain.problem.kind, seq: chain.problem.seq, message: chain.problem.message };
  }
  if (bundle.checkpoint.size !== chain.size) {
    return {
      kind: "checkpoint_mismatch",
      seq: chain.size,
      message: `The checkpoint covers seq ${bundle.checkpoint.size}, not the bundle's last event ${chain.size}`,
    };
  }
  const last = bundle.events.at(-1)!;
  if (last.pause_id !== bundle.pause.pause_id) {
    return {
      kind: "pause_mismatch",
      seq: last.seq,
      message: "The chain does not end with an event of this pause",
    };
  }
  return null;
}

/** The pause's first event opens this very pause, for this agent and action. */
async function checkPause(pause: Pause, events: readonly AuditEvent[]): Promise<BundleProblem | null> {
  const opened = events[0]!;
  if (opened.pause_id !== pause.pause_id || opened.type !== "pause.opened") {
    return {
      kind: "pause_mismatch",
      seq: opened.seq,
      message: "The events do not start with this pause being opened",
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
  pause: Pause,
  proof: Proof | null,
  events: readonly AuditEvent[],
  keys: JwkSet | readonly PublicJwk[],
): Promise<BundleProblem | null> {
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
  // The event that settled the pause names the proof; a claim naming it too is not enough.
  const recorded = events.find(
    (event) =>
      event.pause_id === pause.pause_id &&
      (event.type === "pause.decided" || event.type === "pause.expired") &&
      event.data.proof_id === proof.proof_id,
  );
  if (!recorded) {
    return {
      kind: "proof_invalid",
      seq: null,
      message: `Proof ${proof.proof_id} is not recorded as the pause's decision in the audit log`,
    };
  }
  return null;
}

/**
 * The execution receipt, when there is one: the same on the pause and in the
 * bundle, signed by a pinned key, for the pause's proof, and recorded in the
 * log as `pause.executed`; and a log that records a receipt has it.
 */
async function checkExecution(
  pause: Pause,
  execution: Execution | null,
  events: readonly AuditEvent[],
  keys: JwkSet | readonly PublicJwk[],
): Promise<BundleProblem | null> {
  const onPause = pause.execution ?? null;
  const recorded = events.find(
    (event) => event.pause_id === pause.pause_id && event.type === "pause.executed",
  );
  if (onPause === null && execution === null) {
    return recorded
      ? {
          kind: "receipt_invalid",
          seq: recorded.seq,
          message: "The log records a receipt the bundle leaves out",
        }
      : null;
  }
  if (onPause === null || execution === null || canonicalJson(onPause) !== canonicalJson(execution)) {
    return {
      kind: "receipt_invalid",
      seq: null,
      message: "The bundle's receipt is missing or differs from the pause's",
    };
  }
  try {
    await verifyReceipt(execution, {
      keys,
      pauseId: pause.pause_id,
    });
  } catch (error) {
    if (!isCountersignError(error)) throw error;
    return { kind: "receipt_invalid", seq: null, message: `${error.code}: ${error.message}` };
  }
  if (execution.proof_id !== pause.proof?.proof_id) {
    return {
      kind: "receipt_invalid",
      seq: null,
      message: "The receipt names another proof than the pause's",
    };
  }
  if (recorded?.data.receipt_id !== execution.receipt_id) {
    return {
      kind: "receipt_invalid",
      seq: null,
      message: `Receipt ${execution.receipt_id} is not recorded as the pause's execution in the audit log`,
    };
  }
  return null;
}
