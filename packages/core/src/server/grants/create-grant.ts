import { CountersignError } from "../../errors/countersign-error.ts";
import { parseCondition } from "../../policy/condition.ts";
import { DEFAULT_GRANT_MAX_SECONDS } from "../../policy/policy-schema.ts";
import type { GrantRequest } from "../../protocol/grant.ts";
import { newId } from "../../protocol/ids.ts";
import type { GrantRecord } from "../../store/records.ts";
import { findApprover } from "../governance/approvers.ts";
import type { GrantLimits } from "../policy-hook.ts";
import type { ServiceContext } from "../service-context.ts";
import { grantTerms } from "./render-grant.ts";

/**
 * Who grants or revokes: the identity behind the API key or inbox session,
 * whether they are an admin, and (for an API key) the key's id, which the
 * audit log names when the key has no identity.
 */
export interface GrantActor {
  identity: string | null;
  admin: boolean;
  keyId?: string;
}

/** The policy's grant settings now (no policy, or none stated: allowed, for at most 24 hours). */
export function grantLimits(context: Pick<ServiceContext, "policy">): GrantLimits {
  return context.policy?.grantLimits?.() ?? { enabled: true, maxDurationSeconds: DEFAULT_GRANT_MAX_SECONDS };
}

/**
 * An approver grants a bounded standing approval. Only a known, active
 * approver may (the same test as deciding one pause by hand); every use is
 * checked again against that person's decision rights on the pause, so a
 * grant never reaches further than its grantor could. Its expiry is at most
 * the policy's `grants.max_duration` ahead.
 */
export async function createGrant(
  context: Pick<ServiceContext, "store" | "now" | "policy">,
  request: GrantRequest,
  actor: GrantActor,
): Promise<GrantRecord> {
  const limits = grantLimits(context);
  if (!limits.enabled) {
    throw new CountersignError(
      "forbidden",
      "The policy does not allow standing grants (grants.enabled: false)",
    );
  }
  const approver = actor.identity === null ? null : await findApprover(context.store, actor.identity);
  if (!approver) {
    throw new CountersignError(
      "forbidden",
      actor.identity === null
        ? "Only a known, active approver may grant: this key has no approver identity"
        : `Only a known, active approver may grant: ${actor.identity} is not one`,
    );
  }
  const errors = (request.conditions ?? []).flatMap((source, index) => {
    const parsed = parseCondition(source);
    return parsed.ok ? [] : [{ path: `conditions.${index}`, message: parsed.message }];
  });
  if (errors.length > 0) {
    throw new CountersignError("invalid_request", `Invalid condition: ${errors[0]!.message}`, { errors });
  }
  const now = context.now();
  const expiresAt =
    request.expires_at !== undefined
      ? new Date(request.expires_at)
      : new Date(now.getTime() + request.expires_in! * 1000);
  const field = request.expires_at !== undefined ? "expires_at" : "expires_in";
  if (expiresAt.getTime() <= now.getTime()) {
    throw new CountersignError("invalid_request", "A grant must expire in the future", {
      errors: [{ path: field, message: "must be in the future" }],
    });
  }
  if (expiresAt.getTime() - now.getTime() > limits.maxDurationSeconds * 1000) {
    const message = `must be at most ${limits.maxDurationSeconds} seconds ahead (the policy's grants.max_duration)`;
    throw new CountersignError(
      "invalid_request",
      `A grant may last ${limits.maxDurationSeconds} seconds at most`,
      {
        errors: [{ path: field, message }],
      },
    );
  }
  const grant: GrantRecord = {
    grantId: newId("grant"),
    grantedBy: approver.identity,
    agentIds: request.agent_ids,
    actionType: request.action_type,
    conditions: request.conditions ?? [],
    maxCount: request.max_count ?? null,
    maxTotal: request.max_total ?? null,
    usedCount: 0,
    usedTotal: 0,
    reason: request.reason ?? null,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    revokedAt: null,
    revokedBy: null,
  };
  await context.store.createGrant(grant, [
    {
      type: "grant.created",
      pauseId: null,
      agentId: null,
      actor: { kind: "human", id: approver.identity },
      at: grant.createdAt,
      data: { ...grantTerms(grant), reason: grant.reason },
    },
  ]);
  return grant;
}
