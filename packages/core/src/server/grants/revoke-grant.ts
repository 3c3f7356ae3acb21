import { CountersignError } from "../../errors/countersign-error.ts";
import type { GrantRecord } from "../../store/records.ts";
import { sameIdentity } from "../routing.ts";
import type { ServiceContext } from "../service-context.ts";
import type { GrantActor } from "./create-grant.ts";

/** Ends a grant at once: by its grantor or an admin. Revoking a revoked grant changes nothing. */
export async function revokeGrant(
  context: Pick<ServiceContext, "store" | "now">,
  grantId: string,
  actor: GrantActor,
  reason: string | undefined,
): Promise<GrantRecord> {
  const grant = await context.store.getGrant(grantId);
  if (!grant) throw new CountersignError("not_found", `No grant ${grantId}`);
  const isGrantor = actor.identity !== null && sameIdentity(actor.identity, grant.grantedBy);
  if (!isGrantor && !actor.admin) {
    throw new CountersignError(
      "forbidden",
      `Only ${grant.grantedBy}, who granted it, or an admin may revoke ${grantId}`,
    );
  }
  const at = context.now().toISOString();
  const by = actor.identity ?? actor.keyId ?? "admin";
  const result = await context.store.revokeGrant(grantId, at, by, [
    {
      type: "grant.revoked",
      pauseId: null,
      agentId: null,
      actor: { kind: actor.admin && !isGrantor ? "admin" : "human", id: by },
      at,
      data: {
        grant_id: grantId,
        reason: reason ?? null,
        used_count: grant.usedCount,
        used_total: grant.usedTotal,
      },
    },
  ]);
  if (!result) throw new CountersignError("not_found", `No grant ${grantId}`);
  return result.grant;
}
