import { CountersignError } from "../../errors/countersign-error.ts";
import { newId } from "../../protocol/ids.ts";
import {
  DEFAULT_SECRET_GRACE_SECONDS,
  type WebhookEndpointFilter,
  type WebhookEndpointRequest,
  type WebhookEndpointUpdate,
} from "../../protocol/webhook-endpoint.ts";
import type {
  ApiKeyRecord,
  AuditInput,
  WebhookEndpointChanges,
  WebhookEndpointRecord,
} from "../../store/records.ts";
import { generateWebhookSecret } from "../../webhooks/standard-webhooks.ts";
import type { ServiceContext } from "../service-context.ts";
import { assertPublicEndpointUrl } from "./endpoint-url-guard.ts";

function toFilter(filter: WebhookEndpointFilter | null | undefined): WebhookEndpointRecord["filter"] {
  if (!filter || (filter.agent_id === undefined && filter.action_type === undefined)) return null;
  return { agentId: filter.agent_id ?? null, actionType: filter.action_type ?? null };
}

/** The URL without credentials or query, for the audit log: receivers sometimes put tokens there. */
function auditedUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function audit(
  type: AuditInput["type"],
  key: ApiKeyRecord,
  at: string,
  endpoint: WebhookEndpointRecord,
  data: Record<string, unknown> = {},
): AuditInput[] {
  return [
    {
      type,
      pauseId: null,
      agentId: null,
      actor: { kind: "admin", id: key.keyId },
      at,
      data: { endpoint_id: endpoint.endpointId, ...data },
    },
  ];
}

function described(endpoint: WebhookEndpointRecord) {
  return {
    url: auditedUrl(endpoint.url),
    events: endpoint.events,
    filter: endpoint.filter,
    status: endpoint.status,
  };
}

export async function createEndpoint(
  context: ServiceContext,
  request: WebhookEndpointRequest,
  key: ApiKeyRecord,
): Promise<WebhookEndpointRecord> {
  await assertPublicEndpointUrl(request.url, context.allowPrivateWebhookTargets === true);
  const now = context.now().toISOString();
  const endpoint: WebhookEndpointRecord = {
    endpointId: newId("webhookEndpoint"),
    url: request.url,
    events: request.events,
    filter: toFilter(request.filter),
    description: request.description ?? null,
    status: "enabled",
    secret: generateWebhookSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    createdBy: key.keyId,
    createdAt: now,
    updatedAt: now,
  };
  await context.store.createWebhookEndpoint(
    endpoint,
    audit("webhook_endpoint.created", key, now, endpoint, described(endpoint)),
  );
  return endpoint;
}

export async function readEndpoint(
  context: ServiceContext,
  endpointId: string,
): Promise<WebhookEndpointRecord> {
  const endpoint = await context.store.getWebhookEndpoint(endpointId);
  if (!endpoint) throw new CountersignError("not_found", `No webhook endpoint ${endpointId}`);
  return endpoint;
}

export async function updateEndpoint(
  context: ServiceContext,
  endpointId: string,
  update: WebhookEndpointUpdate,
  key: ApiKeyRecord,
): Promise<WebhookEndpointRecord> {
  if (update.url !== undefined)
    await assertPublicEndpointUrl(update.url, context.allowPrivateWebhookTargets === true);
  const current = await readEndpoint(context, endpointId);
  const now = context.now().toISOString();
  const changes: WebhookEndpointChanges = {
    updatedAt: now,
    ...(update.url !== undefined && { url: update.url }),
    ...(update.events !== undefined && { events: update.events }),
    ...(update.filter !== undefined && { filter: toFilter(update.filter) }),
    ...(update.description !== undefined && { description: update.description }),
    ...(update.status !== undefined && { status: update.status }),
  };
  const next = { ...current, ...changes };
  return stored(
    await context.store.updateWebhookEndpoint(
      endpointId,
      changes,
      audit("webhook_endpoint.updated", key, now, next, described(next)),
    ),
    endpointId,
  );
}

/**
 * A new secret. The old one stays valid for `graceSeconds` (default one day,
 * as Stripe's roll): until then every delivery carries a signature with each,
 * so receivers can switch without dropping a message.
 */
export async function rotateEndpointSecret(
  context: ServiceContext,
  endpointId: string,
  graceSeconds: number | undefined,
  key: ApiKeyRecord,
): Promise<WebhookEndpointRecord> {
  const current = await readEndpoint(context, endpointId);
  const now = context.now();
  const grace = graceSeconds ?? DEFAULT_SECRET_GRACE_SECONDS;
  const previousSecretExpiresAt = grace > 0 ? new Date(now.getTime() + grace * 1000).toISOString() : null;
  return stored(
    await context.store.updateWebhookEndpoint(
      endpointId,
      {
        secret: generateWebhookSecret(),
        previousSecret: grace > 0 ? current.secret : null,
        previousSecretExpiresAt,
        updatedAt: now.toISOString(),
      },
      audit("webhook_endpoint.secret_rotated", key, now.toISOString(), current, {
        previous_secret_expires_at: previousSecretExpiresAt,
      }),
    ),
    endpointId,
  );
}

export async function deleteEndpoint(
  context: ServiceContext,
  endpointId: string,
  key: ApiKeyRecord,
): Promise<WebhookEndpointRecord> {
  const current = await readEndpoint(context, endpointId);
  const now = context.now().toISOString();
  const deleted = await context.store.deleteWebhookEndpoint(
    endpointId,
    audit("webhook_endpoint.deleted", key, now, current, { url: auditedUrl(current.url) }),
  );
  if (!deleted) throw new CountersignError("not_found", `No webhook endpoint ${endpointId}`);
  return current;
}

function stored(endpoint: WebhookEndpointRecord | null, endpointId: string): WebhookEndpointRecord {
  if (!endpoint) throw new CountersignError("not_found", `No webhook endpoint ${endpointId}`);
  return endpoint;
}
