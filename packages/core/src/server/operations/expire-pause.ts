import { isCountersignError } from "../../errors/countersign-error.ts";
import type { PauseRecord } from "../../store/records.ts";
import { issueProof } from "../proof-issuer.ts";
import type { ServiceContext } from "../service-context.ts";
import { settlePause } from "./settle-pause.ts";

/** Expiry is a rejection (fail closed), with a proof whose `decided_by.kind` is `timeout`. */
export async function expirePause(context: ServiceContext, record: PauseRecord): Promise<PauseRecord> {
  const now = context.now();
  const reason = "No decision before the pause expired";
  const decidedBy = { kind: "timeout" as const, id: "countersign" };
  const proof = await issueProof(
    record,
    { decision: "expired", decidedBy, reason, data: null },
    { keys: context.keys.signing, now, ttlSeconds: context.proofTtlSeconds },
  );
  try {
    return await settlePause(
      context,
      record,
      {
        status: "expired",
        decision: {
          status: "expired",
          decided_by: decidedBy,
          reason,
          data: null,
          decided_at: now.toISOString(),
        },
        proof,
      },
      [
        {
          type: "pause.expired",
          pauseId: record.pauseId,
          agentId: record.agentId,
          actor: { kind: "system", id: "expiry" },
          at: now.toISOString(),
          data: { expires_at: record.expiresAt, proof_id: proof.proof_id },
        },
      ],
    );
  } catch (error) {
    // Someone decided first: theirs stands.
    if (isCountersignError(error, "already_decided"))
      return (await context.store.getPause(record.pauseId)) ?? record;
    throw error;
  }
}

/** A pause as it stands now: a pending pause past its expiry is expired on the spot. */
export async function freshPause(context: ServiceContext, pauseId: string): Promise<PauseRecord | null> {
  const record = await context.store.getPause(pauseId);
  if (record?.status === "pending" && Date.parse(record.expiresAt) <= context.now().getTime()) {
    return expirePause(context, record);
  }
  return record;
}

const SWEEP_LEASE = "expiry-sweep";
const SWEEP_LEASE_MS = 5_000;

/**
 * Expires every overdue pending pause; returns how many. With `holder`, only
 * while that instance holds the sweep's lease (renewed on every sweep, taken
 * over by another instance within 5 s when its holder dies), so instances on
 * one database do not all sign an expiry proof for the same pause.
 */
export async function expireDuePauses(
  context: ServiceContext,
  options: { holder?: string; limit?: number } = {},
): Promise<number> {
  const now = context.now().toISOString();
  if (options.holder !== undefined) {
    const leased = await context.store.acquireLease(SWEEP_LEASE, options.holder, now, SWEEP_LEASE_MS);
    if (!leased) return 0;
  }
  const due = await context.store.listExpired(now, options.limit ?? 100);
  for (const record of due) await expirePause(context, record);
  return due.length;
}
