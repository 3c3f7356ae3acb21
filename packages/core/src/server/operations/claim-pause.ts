import { CountersignError } from "../../errors/countersign-error.ts";
import { inSpan } from "../../observability/tracing.ts";
import type { Claim } from "../../protocol/pause.ts";
import type { ApiKeyRecord } from "../../store/records.ts";
import type { ServiceContext } from "../service-context.ts";
import { readOwnPause } from "./read-pause.ts";

/**
 * The single-use execution claim: only an approved pause with a proof still
 * valid can be claimed, and only once. Adapters claim right before running
 * the tool, so a replayed or raced resume runs it at most once.
 */
async function claimPauseUntraced(
  context: ServiceContext,
  pauseId: string,
  key: ApiKeyRecord,
  proofId: string | undefined,
): Promise<Claim> {
  if (key.role === "executor" && proofId === undefined) {
    // A service claims on the strength of a proof it was handed and verified: it must say which.
    throw new CountersignError(
      "invalid_request",
      "proof_id: an executor key claims with the proof it verified",
      {
        pauseId,
        errors: [{ path: "proof_id", message: "required for executor keys" }],
      },
    );
  }
  const record = await readOwnPause(context, pauseId, key);
  if (record.status !== "approved" || !record.proof) {
    throw new CountersignError(
      "not_approved",
      `The pause is ${record.status}; only an approved pause can be claimed`,
      {
        pauseId,
      },
    );
  }
  if (proofId !== undefined && proofId !== record.proof.proof_id) {
    throw new CountersignError("proof_mismatch", `Proof ${proofId} is not this pause's proof`, { pauseId });
  }
  const now = context.now();
  if (Date.parse(record.proof.valid_until) < now.getTime()) {
    throw new CountersignError("not_approved", `The approval was valid until ${record.proof.valid_until}`, {
      pauseId,
    });
  }
  const result = await context.store.claim(
    pauseId,
    now.toISOString(),
    {
      type: "pause.claimed",
      pauseId,
      agentId: record.agentId,
      actor: { kind: key.role === "executor" ? "executor" : "agent", id: key.keyId },
      at: now.toISOString(),
      data: { proof_id: record.proof.proof_id },
    },
    key.keyId,
  );
  if (!result?.ok) {
    const at = result?.pause.claimedAt ? ` at ${result.pause.claimedAt}` : "";
    throw new CountersignError("already_claimed", `The approved action was already claimed${at}`, {
      pauseId,
    });
  }
  return {
    object: "claim",
    pause_id: pauseId,
    proof_id: record.proof.proof_id,
    claimed_at: result.pause.claimedAt!,
  };
}

/** The execution claim (see `claimPauseUntraced`), inside the `countersign.pause.claim` span. */
export function claimPause(
  context: ServiceContext,
  pauseId: string,
  key: ApiKeyRecord,
  proofId: string | undefined,
): Promise<Claim> {
  return inSpan("countersign.pause.claim", { "countersign.pause_id": pauseId }, () =>
    claimPauseUntraced(context, pauseId, key, proofId),
  );
}
