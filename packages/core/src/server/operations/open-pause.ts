import { createHash } from "node:crypto";
import { inSpan } from "../../observability/tracing.ts";
import { canonicalJson } from "../../proof/canonical-json.ts";
import { newId } from "../../protocol/ids.ts";
import type { Routing } from "../../protocol/pause.ts";
import { DEFAULT_EXPIRES_IN_SECONDS, type ParsedPauseRequest } from "../../protocol/pause-request.ts";
import { readRouting } from "../../store/read-routing.ts";
import type { ApiKeyRecord, AuditInput, PauseRecord } from "../../store/records.ts";
import { actionDigestSync } from "../action-digest-sync.ts";
import { authorizeAgentRequest } from "../auth/key-binding.ts";
import { addDelegateRecipients } from "../delegations/delegate-recipients.ts";
import { type RecipientWarning, screenRecipients } from "../governance/recipient-screen.ts";
import { resolveSampling, type SamplingDraw } from "../governance/sampling.ts";
import { decideByGrant } from "../grants/decide-by-grant.ts";
import type { PolicyDecision } from "../policy-hook.ts";
import { issueProof } from "../proof-issuer.ts";
import type { ServiceContext } from "../service-context.ts";
import { endpointDeliveries } from "../webhook-endpoints/endpoint-deliveries.ts";
import { settlePause } from "./settle-pause.ts";

/**
 * Opens a pause: durable (with its audit event) before this resolves. With an
 * idempotency key the same request returns the same pause. A policy may
 * decide at once (auto-approve, deny); the reply then carries the proof.
 * The key must be bound to the requested agent id (and action type), and
 * agent-supplied recipients that would widen routing are dropped with a warning.
 */
async function openPauseUntraced(
  context: ServiceContext,
  request: ParsedPauseRequest,
  key: ApiKeyRecord,
  idempotencyKey: string | null,
): Promise<{ pause: PauseRecord; created: boolean; warnings: RecipientWarning[] }> {
  authorizeAgentRequest(key, request.agent_id, request.action.type);
  const now = context.now();
  const pauseId = newId("pause");
  const routed = await routeRequest(context, request, key);
  const { warnings } = routed;
  // A sampling rule is drawn here, per pause: the draw needs the pause id.
  const { policy, sampling } = resolveSampling(routed.policy, pauseId);
  const routing = policyRouting(policy);
  // Approvers who are away are reached through their delegates, on the same channels.
  const { recipients, delegates } =
    policy && policy.outcome !== "require"
      ? { recipients: routed.recipients, delegates: [] }
      : await addDelegateRecipients(
          context.store,
          { requestedBy: key.identity, action: request.action },
          routed.recipients,
          routing?.approvers ?? null,
          now,
        );
  const expiresIn = policy?.expiresInSeconds ?? request.expires_in ?? DEFAULT_EXPIRES_IN_SECONDS;
  const record: PauseRecord = {
    pauseId,
    status: "pending",
    agentId: request.agent_id,
    action: request.action,
    actionDigest: actionDigestSync(request.action),
    recipients,
    webhookUrl: request.webhook_url ?? null,
    context: request.context ?? {},
    metadata: request.metadata ?? {},
    ownerKeyId: key.keyId,
    requestedBy: key.identity,
    routing,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + expiresIn * 1000).toISOString(),
    decision: null,
    proof: null,
    claimedAt: null,
    escalateAt: escalationDue(routing, now),
  };
  const audit: AuditInput[] = [
    {
      type: "pause.opened",
      pauseId: record.pauseId,
      agentId: record.agentId,
      actor: { kind: "agent", id: key.keyId },
      at: record.createdAt,
      data: {
        action_type: record.action.type,
        action_digest: record.actionDigest,
        expires_at: record.expiresAt,
        ...(warnings.length > 0 && { dropped_recipients: warnings.map((warning) => warning.path) }),
        ...(delegates.length > 0 && { delegates }),
      },
    },
  ];
  if (routing) {
    audit.push({
      type: "pause.routed",
      pauseId: record.pauseId,
      agentId: record.agentId,
      actor: { kind: "policy", id: routing.rule },
      at: record.createdAt,
      data: {
        rule: routing.rule,
        policy_version: routing.policy_version,
        outcome: routing.outcome,
        approvers: routing.approvers,
        approvals_required: routing.approvals_required,
        recipients: record.recipients,
        escalation: routing.escalation,
        ...(sampling && { sampling: { ...sampling } }),
      },
    });
  }
  const idempotency = idempotencyKey
    ? { scope: key.keyId, key: idempotencyKey, requestHash: requestHash(request) }
    : undefined;
  const deliveries = await endpointDeliveries(context, "pause.opened", record, now);
  const result = await context.store.createPause(record, {
    ...(idempotency && { idempotency }),
    audit,
    deliveries,
  });
  if (!result.created) return { ...result, warnings: [] };
  if (deliveries.length > 0) context.wakeDeliveries();
  context.metrics.pauseOpened(result.pause);
  if (warnings.length > 0) {
    context.log.info("pause opened without some agent-supplied recipients", {
      pause_id: record.pauseId,
      dropped: warnings.map((warning) => warning.message),
    });
  }
  if (policy && policy.outcome !== "require") {
    return { pause: await decideByPolicy(context, result.pause, policy, sampling), created: true, warnings };
  }
  // Below the policy: only a pause it sent to people may be approved by a standing grant.
  const granted = await decideByGrant(context, result.pause);
  if (granted) return { pause: granted, created: true, warnings };
  context.onLifecycle(result.pause, "opened");
  return { ...result, warnings };
}

/**
 * The policy's decision and who is told. Agent-supplied recipients are
 * screened against the routing the policy chose; when some are dropped, the
 * policy is asked again with the rest, so its recipient rules apply to what remains.
 */
async function routeRequest(context: ServiceContext, request: ParsedPauseRequest, key: ApiKeyRecord) {
  const requester = { keyId: key.keyId, identity: key.identity };
  const first = context.policy?.evaluate(request, requester) ?? null;
  const screening = await screenRecipients(context.store, request.recipients ?? [], {
    approvers: policyRouting(first)?.approvers ?? null,
    allowedTargets: context.allowedTargets(),
  });
  const policy =
    screening.warnings.length === 0
      ? first
      : (context.policy?.evaluate({ ...request, recipients: screening.kept }, requester) ?? null);
  return { policy, recipients: policy?.recipients ?? screening.kept, warnings: screening.warnings };
}

/** A policy hook may record anything: its routing is read into the typed shape here, as the stores read rows. */
function policyRouting(policy: PolicyDecision | null): Routing | null {
  if (policy === null) return null;
  return readRouting({
    rule: policy.rule,
    policy_version: policy.version,
    outcome: policy.outcome,
    ...policy.routing,
  });
}

function requestHash(request: ParsedPauseRequest): string {
  return createHash("sha256").update(canonicalJson(request)).digest("hex");
}

async function decideByPolicy(
  context: ServiceContext,
  record: PauseRecord,
  policy: PolicyDecision,
  sampling: SamplingDraw | null,
): Promise<PauseRecord> {
  const now = context.now();
  // Not sampled: approved, and the proof says so (with the draw, so it can be recomputed).
  const unsampled = sampling ? { sampled: false, sample: { rate: sampling.rate, draw: sampling.draw } } : {};
  const approved = policy.outcome === "auto_approve";
  const status = approved ? "approved" : "rejected";
  const decidedBy = { kind: "policy" as const, id: `policy:${policy.rule}`, rule: policy.rule };
  const reason =
    policy.reason ??
    (sampling ? `Not sampled for review by policy rule ${policy.rule} (rate ${sampling.rate})` : null) ??
    (approved ? null : `Denied by policy rule ${policy.rule}`);
  const proof = await issueProof(
    record,
    {
      decision: status,
      decidedBy,
      reason,
      data: null,
      extra: { policy: { rule: policy.rule, version: policy.version }, ...unsampled },
    },
    { keys: context.keys.signing, now, ttlSeconds: context.proofTtlSeconds },
  );
  return settlePause(
    context,
    record,
    {
      status,
      decision: { status, decided_by: decidedBy, reason, data: null, decided_at: now.toISOString() },
      proof,
    },
    [
      {
        type: "pause.decided",
        pauseId: record.pauseId,
        agentId: record.agentId,
        actor: { kind: "policy", id: policy.rule },
        at: now.toISOString(),
        data: {
          decision: status,
          rule: policy.rule,
          policy_version: policy.version,
          proof_id: proof.proof_id,
          ...(sampling && { sampling: { ...sampling } }),
        },
      },
    ],
  );
}

/** When a policy that escalates wants the pause re-routed; the store indexes it for the sweep. */
function escalationDue(routing: Routing | null, now: Date): string | null {
  const after = routing?.escalation?.after_seconds;
  return after === undefined ? null : new Date(now.getTime() + after * 1000).toISOString();
}

/** Opens a pause (see `openPauseUntraced`) inside the `countersign.pause.open` span. */
export function openPause(
  context: ServiceContext,
  request: ParsedPauseRequest,
  key: ApiKeyRecord,
  idempotencyKey: string | null,
): Promise<{ pause: PauseRecord; created: boolean; warnings: RecipientWarning[] }> {
  return inSpan(
    "countersign.pause.open",
    { "countersign.agent_id": request.agent_id, "countersign.action_type": request.action.type },
    async (span) => {
      const opened = await openPauseUntraced(context, request, key, idempotencyKey);
      span.setAttributes({
        "countersign.pause_id": opened.pause.pauseId,
        "countersign.status": opened.pause.status,
        "countersign.created": opened.created,
      });
      return opened;
    },
  );
}
