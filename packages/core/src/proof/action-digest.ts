// The action digest a proof is bound to: @countersign/verify's implementation.
export { actionDigest, approvedAction } from "@countersign/verify";
