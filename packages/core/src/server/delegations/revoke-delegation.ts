import { CountersignError } from "../../errors/countersign-error.ts";
import type { DelegationRecord } from "../../store/records.ts";
import { sameIdentity } from "../routing.ts";
import type { ServiceContext } from "../service-context.ts";
import type { DelegationActor } from "./create-delegation.ts";

/**
 * Ends a delegation at once: by its delegator, its delegate (who may hand it
 * back) or an admin. Once this resolves no decision through it commits, even
 * one already under way (the store checks the delegation in the decision's
 * own write). Revoking a revoked delegation changes nothing.
 */
export async function revokeDelegation(
  context: Pick<ServiceContext, "store" | "now">,
  delegationId: string,
  actor: DelegationActor,
  reason: string | undefined,
): Promise<DelegationRecord> {
  const delegation = await context.store.getDelegation(delegationId);
  if (!delegation) throw new CountersignError("not_found", `No delegation ${delegationId}`);
  const party =
    actor.identity !== null &&
    (sameIdentity(actor.identity, delegation.from) || sameIdentity(actor.identity, delegation.to));
  if (!party && !actor.admin) {
    throw new CountersignError(
      "forbidden",
      `Only ${delegation.from}, ${delegation.to} or an admin may revoke ${delegationId}`,
    );
  }
  const at = context.now().toISOString();
  const by = actor.identity ?? "admin";
  const result = await context.store.revokeDelegation(delegationId, at, by, [
    {
      type: "delegation.revoked",
      pauseId: null,
      agentId: null,
      actor: { kind: party ? "human" : "admin", id: by },
      at,
      data: { delegation_id: delegationId, from: delegation.from, to: delegation.to, reason: reason ?? null },
    },
  ]);
  if (!result) throw new CountersignError("not_found", `No delegation ${delegationId}`);
  return result.delegation;
}
