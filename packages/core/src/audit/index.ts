export {
  auditEventHash,
  auditLeafHash,
  chainAuditEvent,
  GENESIS_HASH,
  nextAuditEvent,
} from "./audit-chain.ts";
export {
  type AuditTreeHead,
  type CheckpointCheck,
  checkpointSigningInput,
  EMPTY_TREE_HEAD,
  signCheckpoint,
  verifyCheckpoint,
} from "./audit-checkpoint.ts";
export { type AuditCheckpointer, createAuditCheckpointer } from "./audit-checkpointer.ts";
export { proveConsistency, proveInclusion, readTreeHead } from "./audit-tree.ts";
export {
  type AuditWitness,
  type AuditWitnessOptions,
  createAuditWitness,
  latestCheckpoint,
} from "./audit-witness.ts";
export { buildEvidenceBundle } from "./build-evidence-bundle.ts";
export {
  CONSISTENCY_PROOF_TYPE,
  type ConsistencyCheck,
  type ConsistencyProof,
  ConsistencyProofSchema,
  checkpointsConsistent,
  verifyConsistencyProof,
} from "./consistency-proof.ts";
export {
  EVIDENCE_BUNDLE_TYPE,
  type EvidenceBundle,
  EvidenceBundleSchema,
  type EvidenceBundleV1,
  EvidenceBundleV1Schema,
  type EvidenceBundleV2,
  EvidenceBundleV2Schema,
} from "./evidence-bundle.ts";
export { appendLeaves, frontierIds, frontierRoot } from "./merkle-frontier.ts";
export {
  EMPTY_TREE_ROOT,
  formatHash,
  type Hash,
  type MerkleNode,
  type MerkleNodeId,
  merkleLeafHash,
  merkleNodeHash,
  nodeKey,
  parseHash,
} from "./merkle-hash.ts";
export {
  consistencyProof,
  consistencyProofNodes,
  inclusionProof,
  inclusionProofNodes,
  verifyConsistency,
  verifyInclusion,
} from "./merkle-proofs.ts";
export { type SealedHead, sealAuditEvents, treeNodesFor } from "./seal-audit-events.ts";
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
