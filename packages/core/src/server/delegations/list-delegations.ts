import type { DelegationStatus } from "../../protocol/delegation.ts";
import type { DelegationRecord } from "../../store/records.ts";
import type { ServiceContext } from "../service-context.ts";
import type { DelegationActor } from "./create-delegation.ts";
import { delegationStatus } from "./render-delegation.ts";

/**
 * The delegations a caller may see: an admin sees every one; an approver
 * those they gave or received. Newest first, optionally in one state.
 */
export async function listVisibleDelegations(
  context: Pick<ServiceContext, "store" | "now">,
  actor: DelegationActor,
  status: DelegationStatus | undefined,
): Promise<DelegationRecord[]> {
  const now = context.now();
  const delegations = actor.admin
    ? await context.store.listDelegations({})
    : actor.identity === null
      ? []
      : await context.store.listDelegations({ involving: actor.identity });
  return status
    ? delegations.filter((delegation) => delegationStatus(delegation, now) === status)
    : delegations;
}
