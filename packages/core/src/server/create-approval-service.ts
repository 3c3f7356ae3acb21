import { CountersignError } from "../errors/countersign-error.ts";
import type { Pause } from "../protocol/pause.ts";
import type { ApprovalService } from "./approval-service.ts";
import { findApprover } from "./governance/approvers.ts";
import { decisionRights } from "./governance/decision-rights.ts";
import { createGrant, grantLimits } from "./grants/create-grant.ts";
import { revokeGrant } from "./grants/revoke-grant.ts";
import { decideBatch } from "./operations/decide-batch.ts";
import { decidePause } from "./operations/decide-pause.ts";
import { freshPause } from "./operations/expire-pause.ts";
import { render, type ServiceContext } from "./service-context.ts";

/** The server's operations for in-process channels; same rules as the HTTP API. */
export function createApprovalService(context: ServiceContext): ApprovalService {
  return {
    get baseUrl() {
      return context.baseUrl();
    },
    async getPause(pauseId) {
      const record = await freshPause(context, pauseId);
      return record ? render(context, record) : null;
    },
    async listPauses(query) {
      const page = await context.store.listPauses(query);
      return { items: page.items.map((record) => render(context, record)), nextCursor: page.nextCursor };
    },
    async decide(pauseId, input, approver) {
      if (!approver.identity)
        throw new CountersignError("forbidden", "An approver identity is required", { pauseId });
      return render(context, await decidePause(context, pauseId, input, approver));
    },
    async decideBatch(request, approver) {
      if (!approver.identity) throw new CountersignError("forbidden", "An approver identity is required");
      return decideBatch(context, request, approver);
    },
    findApprover: (identityOrEmail) => findApprover(context.store, identityOrEmail),
    async decisionRights(pauseId, identity) {
      const record = await freshPause(context, pauseId);
      if (!record) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
      return decisionRights(context.store, record, identity, { now: context.now() });
    },
    async decidablePauseIds(pauseIds, identity) {
      // One approver lookup for the whole list, not one per pause.
      const approver = await findApprover(context.store, identity);
      if (!approver) return [];
      const now = context.now();
      const decidable: string[] = [];
      for (const pauseId of pauseIds) {
        const record = await freshPause(context, pauseId);
        if (record && (await decisionRights(context.store, record, identity, { now, approver })).allowed) {
          decidable.push(pauseId);
        }
      }
      return decidable;
    },
    grantLimits: () => grantLimits(context),
    createGrant: (request, actor) => createGrant(context, request, actor),
    revokeGrant: (grantId, actor, reason) => revokeGrant(context, grantId, actor, reason),
    async recordEvent(pauseId, type, actor, data = {}) {
      const record = await context.store.getPause(pauseId);
      await context.store.appendAudit({
        type,
        pauseId,
        agentId: record?.agentId ?? null,
        actor,
        at: context.now().toISOString(),
        data,
      });
    },
    listEvents(pauseId, type) {
      return context.store.listAudit({ pauseId, ...(type && { type }), limit: 1_000 });
    },
    onPauseRouted: (listener) => context.onPauseRouted(listener),
    onPauseChanged(listener: (pause: Pause) => void) {
      return context.store.subscribe((pauseId) => {
        void context.store.getPause(pauseId).then(
          (record) => record && listener(render(context, record)),
          (error: unknown) =>
            context.log.error("pause change listener failed", { pause_id: pauseId, error: String(error) }),
        );
      });
    },
  };
}
