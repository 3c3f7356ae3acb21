// @countersign/enforce: proof-gated endpoints. Framework middleware lives at
// @countersign/enforce/hono, /express and /fastify.
export {
  decodeProofHeader,
  encodeProofHeader,
  PROOF_HEADER,
  proofHeaders,
} from "@countersign/verify";
export type { Mismatch } from "./action-mismatch.ts";
export type { Approval } from "./approval.ts";
export { checkApprovedRequest, problemResponse } from "./check-approved-request.ts";
export type { EnforceOptions, EnforceTrust, RequestedAction } from "./enforce-options.ts";
export type { EnforcedRequest } from "./enforced-request.ts";
export { createEnforcer, type Enforcer } from "./enforcer.ts";
export { PROBLEM_CONTENT_TYPE, type Problem } from "./problem.ts";
export type { ApprovedVerdict, Outcome, RefusedVerdict, Verdict } from "./verdict.ts";
