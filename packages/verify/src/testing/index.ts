// @countersign/verify/testing: the shared test vectors and a runner, for any
// verifier (and any signer) in or outside this repository. Node only (reads files).
export { loadTestVectors, TEST_VECTOR_FILE_NAMES, TEST_VECTORS_DIRECTORY } from "./load-test-vectors.ts";
export { proofVectorInput, proofVectorOptions, runProofVector, runWebhookVector } from "./run-vectors.ts";
export type {
  CanonicalJsonVector,
  DigestVector,
  ProofOutcome,
  ProofVector,
  TestVectorFiles,
  WebhookOutcome,
  WebhookVector,
} from "./vector-types.ts";
