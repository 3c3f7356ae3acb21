import type { WebhookEndpoint } from "../../protocol/webhook-endpoint.ts";
import type { WebhookEndpointRecord } from "../../store/records.ts";

/** The wire shape, without the secret: only create and rotate show it, once. */
export function renderEndpoint(endpoint: WebhookEndpointRecord): WebhookEndpoint {
  return {
    object: "webhook_endpoint",
    endpoint_id: endpoint.endpointId,
    url: endpoint.url,
    events: endpoint.events as WebhookEndpoint["events"],
    filter: endpoint.filter && {
      ...(endpoint.filter.agentId !== null && { agent_id: endpoint.filter.agentId }),
      ...(endpoint.filter.actionType !== null && { action_type: endpoint.filter.actionType }),
    },
    description: endpoint.description,
    status: endpoint.status,
    created_by: endpoint.createdBy,
    created_at: endpoint.createdAt,
    updated_at: endpoint.updatedAt,
    previous_secret_expires_at: endpoint.previousSecretExpiresAt,
  };
}
