import type { GrantRecord, PauseRecord } from "../../store/records.ts";
import { decisionRights } from "../governance/decision-rights.ts";
import { issueProof } from "../proof-issuer.ts";
import type { ServiceContext } from "../service-context.ts";
import { webhookDelivery } from "../service-context.ts";
import { endpointDeliveries, settledEvent } from "../webhook-endpoints/endpoint-deliveries.ts";
import { grantCoverage } from "./grant-coverage.ts";
import { grantTerms } from "./render-grant.ts";

/**
 * Approves a new pause under a standing grant when one covers it; `null`
 * when none does (the pause then waits for people as usual). Called only
 * for pauses the policy sent to people: a `deny` has already rejected it, so
 * a grant never widens what the policy forbids. A pause that needs several
 * approvals is never granted (a grant is one person's approval). Each
 * candidate is checked against its grantor's decision rights on this pause
 * now (routing, active approver, never their own request); the oldest
 * covering grant is used first, and the store consumes it atomically with
 * the decision, so a grant used up by a concurrent pause is skipped.
 */
export async function decideByGrant(
  context: ServiceContext,
  record: PauseRecord,
): Promise<PauseRecord | null> {
  // A policy that turns grants off turns off the ones already made too.
  if (context.policy?.grantLimits?.().enabled === false) return null;
  if ((record.routing?.approvals_required ?? 1) > 1) return null;
  const now = context.now();
  const grants = await context.store.listGrants({ activeAt: now.toISOString() });
  for (const grant of grants.reverse()) {
    const coverage = grantCoverage(grant, record, now);
    if (!coverage.covers) continue;
    const rights = await decisionRights(context.store, record, grant.grantedBy, { now });
    // A grant reaches only what its grantor may decide in their own right, never through a delegation.
    if (!rights.allowed || rights.delegation) continue;
    const decided = await useGrant(context, record, grant, coverage.amount, rights.approver.identity);
    if (decided === "grant_unavailable") continue;
    return decided;
  }
  return null;
}

async function useGrant(
  context: ServiceContext,
  record: PauseRecord,
  grant: GrantRecord,
  amount: number,
  grantor: string,
): Promise<PauseRecord | "grant_unavailable"> {
  const now = context.now();
  const at = now.toISOString();
  const routing = record.routing;
  const decidedBy = {
    kind: "grant" as const,
    id: `grant:${grant.grantId}`,
    grant_id: grant.grantId,
    granted_by: grantor,
  };
  const proof = await issueProof(
    record,
    {
      decision: "approved",
      decidedBy,
      reason: grant.reason,
      data: null,
      extra: routing ? { policy: { rule: routing.rule, version: routing.policy_version } } : {},
    },
    { keys: context.keys.signing, now, ttlSeconds: context.proofTtlSeconds },
  );
  const decision = {
    status: "approved" as const,
    decided_by: decidedBy,
    reason: grant.reason,
    data: null,
    decided_at: at,
  };
  const decided: PauseRecord = { ...record, status: "approved", decision, proof };
  const delivery = webhookDelivery(context, decided, now);
  const deliveries = await endpointDeliveries(context, settledEvent(decided), decided, now);
  const audit = [
    {
      type: "grant.used" as const,
      pauseId: record.pauseId,
      agentId: record.agentId,
      actor: { kind: "human" as const, id: grantor },
      at,
      data: { ...grantTerms(grant), amount, proof_id: proof.proof_id },
    },
    {
      type: "pause.decided" as const,
      pauseId: record.pauseId,
      agentId: record.agentId,
      actor: { kind: "human" as const, id: grantor },
      at,
      data: {
        decision: "approved",
        channel: "grant",
        grant_id: grant.grantId,
        reason: grant.reason,
        edited: false,
        proof_id: proof.proof_id,
        ...(routing && { rule: routing.rule, policy_version: routing.policy_version }),
      },
    },
  ];
  const result = await context.store.decideWithGrant(
    record.pauseId,
    { grantId: grant.grantId, amount, at },
    { status: "approved", decision, proof },
    { ...(delivery && { delivery }), deliveries, audit },
  );
  if (result === null || result.outcome === "grant_unavailable") return "grant_unavailable";
  if (result.outcome === "decided") {
    if (delivery || deliveries.length > 0) context.wakeDeliveries();
    context.onLifecycle(result.pause, "settled");
  }
  return result.pause;
}
