import { AsyncLocalStorage } from "node:async_hooks";
import { proofHeaders } from "@countersign/verify";
import { CountersignError } from "../../errors/countersign-error.ts";
import type { Proof } from "../../protocol/proof.ts";

/** The approval a gated tool is running under. */
export interface ApprovedCall {
  pauseId: string;
  /** The verified decision proof for exactly this call. */
  proof: Proof;
  /**
   * The `Countersign-Proof` header for the tool's request to a proof-gated
   * service, which claims the approval and records the receipt itself.
   */
  headers: { "Countersign-Proof": string };
}

const current = new AsyncLocalStorage<ApprovedCall>();

/** Runs a tool with its approval in reach of `approvedCall()`. */
export function runApprovedCall<Result>(pauseId: string, proof: Proof, run: () => Promise<Result>) {
  return current.run({ pauseId, proof, headers: proofHeaders(proof) }, run);
}

/**
 * Inside a gated tool: the approval it runs under, to forward to the service
 * where the action happens (`fetch(url, { headers: approvedCall().headers })`).
 * Throws outside a gated, approved call, so a tool never calls the service
 * without a proof by mistake.
 */
export function approvedCall(): ApprovedCall {
  const call = current.getStore();
  if (call === undefined) {
    throw new CountersignError(
      "not_approved",
      "approvedCall() was called outside a tool the Countersign adapter ran after an approval",
    );
  }
  return call;
}
