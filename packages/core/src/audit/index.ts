export { auditEventHash, GENESIS_HASH, nextAuditEvent } from "./audit-chain.ts";
export {
  type CheckpointCheck,
  checkpointSigningInput,
  signCheckpoint,
  verifyCheckpoint,
} from "./audit-checkpoint.ts";
export { buildEvidenceBundle } from "./build-evidence-bundle.ts";
export { EVIDENCE_BUNDLE_TYPE, type EvidenceBundle, EvidenceBundleSchema } from "./evidence-bundle.ts";
export {
  type AuditProblem,
  type AuditProblemKind,
  type AuditVerification,
  type VerifyAuditLogOptions,
  verifyAuditLog,
} from "./verify-audit-log.ts";
export {
  type BundleProblem,
  type BundleVerification,
  verifyEvidenceBundle,
} from "./verify-evidence-bundle.ts";
