import { z } from "zod";
import {
  RotateEndpointSecretSchema,
  WebhookEndpointListSchema,
  WebhookEndpointRequestSchema,
  WebhookEndpointSchema,
  WebhookEndpointUpdateSchema,
  WebhookEndpointWithSecretSchema,
} from "../../protocol/webhook-endpoint.ts";
import type { WebhookEndpointRecord } from "../../store/records.ts";
import { jsonResponse } from "../http/route.ts";
import {
  createEndpoint,
  deleteEndpoint,
  readEndpoint,
  rotateEndpointSecret,
  updateEndpoint,
} from "../webhook-endpoints/manage-endpoints.ts";
import { renderEndpoint } from "../webhook-endpoints/render-endpoint.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";

const EndpointParamsSchema = z.strictObject({
  endpoint_id: z.string().min(1).max(100).describe("The endpoint, `whe_…`."),
});

const withSecret = (endpoint: WebhookEndpointRecord) => ({
  ...renderEndpoint(endpoint),
  secret: endpoint.secret,
});

/** Registered webhook endpoints (Stripe style): an admin subscribes a URL to pause events. */
export function webhookEndpointRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  const admin = { kind: "apiKey", roles: ["admin"] } as const;
  return [
    keyRoute({
      operationId: "createWebhookEndpoint",
      method: "post",
      path: "/v1/webhook-endpoints",
      summary: "Register webhook endpoints",
      description:
        "Subscribes a URL to pause events, optionally only for some agents and action types. Deliveries are Standard Webhooks signed with the endpoint's own `whsec_` secret, shown once in this answer.",
      tags: ["webhooks"],
      security: admin,
      body: {
        schema: WebhookEndpointRequestSchema,
        required: true,
        example: {
          url: "https://ops.acme.com/countersign",
          events: ["pause.decided", "pause.expired"],
          filter: { action_type: "refund" },
        },
      },
      responses: {
        201: { description: "The endpoint, with its secret", schema: WebhookEndpointWithSecretSchema },
      },
      errors: [400, 401, 403, 413, 503],
      async handle({ auth, body }) {
        return jsonResponse(withSecret(await createEndpoint(context, body, auth)), 201);
      },
    }),
    keyRoute({
      operationId: "listWebhookEndpoints",
      method: "get",
      path: "/v1/webhook-endpoints",
      summary: "List webhook endpoints",
      description: "Every registered endpoint, oldest first, without secrets.",
      tags: ["webhooks"],
      security: admin,
      responses: { 200: { description: "The endpoints", schema: WebhookEndpointListSchema } },
      errors: [401, 403, 503],
      async handle() {
        const endpoints = await context.store.listWebhookEndpoints();
        return jsonResponse({
          object: "list",
          data: endpoints.map(renderEndpoint),
          has_more: false,
          next_cursor: null,
        });
      },
    }),
    keyRoute({
      operationId: "getWebhookEndpoint",
      method: "get",
      path: "/v1/webhook-endpoints/{endpoint_id}",
      summary: "Read a webhook endpoint",
      tags: ["webhooks"],
      security: admin,
      params: EndpointParamsSchema,
      responses: { 200: { description: "The endpoint, without its secret", schema: WebhookEndpointSchema } },
      errors: [400, 401, 403, 404, 503],
      async handle({ params }) {
        return jsonResponse(renderEndpoint(await readEndpoint(context, params.endpoint_id)));
      },
    }),
    keyRoute({
      operationId: "updateWebhookEndpoint",
      method: "patch",
      path: "/v1/webhook-endpoints/{endpoint_id}",
      summary: "Update a webhook endpoint",
      description:
        "Changes what is given: `url`, `events`, `filter`, `description`, or `status` (`disabled` stops new events and sends no queued one; `enabled` resumes with new events).",
      tags: ["webhooks"],
      security: admin,
      params: EndpointParamsSchema,
      body: { schema: WebhookEndpointUpdateSchema, required: true, example: { status: "disabled" } },
      responses: { 200: { description: "The endpoint", schema: WebhookEndpointSchema } },
      errors: [400, 401, 403, 404, 413, 503],
      async handle({ auth, params, body }) {
        return jsonResponse(renderEndpoint(await updateEndpoint(context, params.endpoint_id, body, auth)));
      },
    }),
    keyRoute({
      operationId: "rotateWebhookEndpointSecret",
      method: "post",
      path: "/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
      summary: "Rotate a webhook endpoint's secret",
      description:
        "A new `whsec_` secret, shown once. The old one stays valid for `expires_in` seconds (default a day, at most 7 days): until then each delivery is signed with both.",
      tags: ["webhooks"],
      security: admin,
      params: EndpointParamsSchema,
      body: { schema: RotateEndpointSecretSchema, required: false, example: { expires_in: 3600 } },
      responses: {
        200: { description: "The endpoint, with its new secret", schema: WebhookEndpointWithSecretSchema },
      },
      errors: [400, 401, 403, 404, 413, 503],
      async handle({ auth, params, body }) {
        const rotated = await rotateEndpointSecret(context, params.endpoint_id, body?.expires_in, auth);
        return jsonResponse(withSecret(rotated));
      },
    }),
    keyRoute({
      operationId: "deleteWebhookEndpoint",
      method: "delete",
      path: "/v1/webhook-endpoints/{endpoint_id}",
      summary: "Delete a webhook endpoint",
      description: "Removes it; its queued deliveries are not sent. The attempt log stays.",
      tags: ["webhooks"],
      security: admin,
      params: EndpointParamsSchema,
      responses: { 200: { description: "The deleted endpoint", schema: WebhookEndpointSchema } },
      errors: [400, 401, 403, 404, 503],
      async handle({ auth, params }) {
        return jsonResponse(renderEndpoint(await deleteEndpoint(context, params.endpoint_id, auth)));
      },
    }),
  ];
}
