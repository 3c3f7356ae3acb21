import { CountersignError } from "../../errors/countersign-error.ts";
import type { ApiKeyRecord, GrantRecord } from "../../store/records.ts";
import { sameIdentity } from "../routing.ts";
import type { ServiceContext } from "../service-context.ts";

/** Ends a grant at once: by its grantor or an admin. Revoking a revoked grant changes nothing. */
export async function revokeGrant(
  context: ServiceContext,
  grantId: string,
  key: ApiKeyRecord,
  reason: string | undefined,
): Promise<GrantRecord> {
  const grant = await context.store.getGrant(grantId);
  if (!grant) throw new CountersignError("not_found", `No grant ${grantId}`);
  const isGrantor = key.identity !== null && sameIdentity(key.identity, grant.grantedBy);
  if (!isGrantor && key.role !== "admin") {
    throw new CountersignError(
      "forbidden",
      `Only ${grant.grantedBy}, who granted it, or an admin may revoke ${grantId}`,
    );
  }
  const at = context.now().toISOString();
  const by = key.identity ?? key.keyId;
  const result = await context.store.revokeGrant(grantId, at, by, [
    {
      type: "grant.revoked",
      pauseId: null,
      agentId: null,
      actor: { kind: key.role === "admin" && !isGrantor ? "admin" : "human", id: by },
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
