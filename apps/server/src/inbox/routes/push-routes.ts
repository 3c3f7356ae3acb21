import { CountersignError } from "@countersign/core";
import type { Route } from "@countersign/core/server";
import { z } from "zod";
import { checkPushEndpoint, MAX_ENDPOINT_LENGTH } from "../../push/push-endpoint-policy.ts";
import type { WebPush } from "../../push/start-web-push.ts";
import { jsonResponse } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";

/** Devices per approver; subscribing one more forgets the oldest. */
export const MAX_DEVICES_PER_APPROVER = 10;

const base64url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `must be base64url (${what})`)
    .refine((text) => Buffer.from(text, "base64url").length === bytes, `must be ${bytes} bytes (${what})`);

/** `PushSubscription.toJSON()` as the browser gives it. */
const SubscriptionSchema = z.strictObject({
  endpoint: z.string().min(1).max(MAX_ENDPOINT_LENGTH).describe("The push service URL the browser gave."),
  expirationTime: z
    .number()
    .nullable()
    .optional()
    .describe("Ignored: the push service says when it is gone."),
  keys: z.strictObject({
    p256dh: base64url(65, "the browser's P-256 public key"),
    auth: base64url(16, "the browser's authentication secret"),
  }),
});

const EndpointSchema = z.strictObject({ endpoint: z.string().min(1).max(MAX_ENDPOINT_LENGTH) });

const PushKeySchema = z.strictObject({
  object: z.literal("push_key"),
  public_key: z.string().describe("The VAPID public key (base64url): the browser's `applicationServerKey`."),
});

const PushSubscriptionSchema = z.strictObject({
  object: z.literal("push_subscription"),
  endpoint: z.string(),
  identity: z.string().describe("The approver this device notifies: the signed-in one."),
  created_at: z.string(),
});

const RemovedSchema = z.strictObject({ ok: z.literal(true), removed: z.boolean() });

/** Web Push for the signed-in approver: the server's key, and this device's subscription on or off. */
export function pushRoutes(context: InboxContext): Route<InboxAuth>[] {
  const requirePush = (): WebPush => {
    if (context.push === null)
      throw new CountersignError("not_found", "Web Push is turned off on this server");
    return context.push;
  };
  return [
    sessionRoute({
      operationId: "inboxPushKey",
      method: "get",
      path: "/inbox/api/push/key",
      summary: "The Web Push key",
      description: "The VAPID public key to subscribe with; 404 when Web Push is turned off.",
      tags: ["inbox"],
      security: { kind: "session" },
      responses: { 200: { description: "The key", schema: PushKeySchema } },
      errors: [401, 404],
      handle: () => jsonResponse({ object: "push_key", public_key: requirePush().publicKey }),
    }),
    sessionRoute({
      operationId: "inboxSubscribePush",
      method: "post",
      path: "/inbox/api/push/subscriptions",
      summary: "Notify me on this device",
      description: `Stores this browser's push subscription for the signed-in approver; pauses routed to them then reach it. The endpoint must be an https URL on the internet (see docs/security.md). At most ${MAX_DEVICES_PER_APPROVER} devices per approver: the oldest is forgotten.`,
      tags: ["inbox"],
      security: { kind: "session", changes: true },
      body: { schema: SubscriptionSchema, required: true },
      responses: { 201: { description: "Subscribed", schema: PushSubscriptionSchema } },
      errors: [400, 401, 403, 404],
      async handle({ auth, body }) {
        const push = requirePush();
        checkPushEndpoint(body.endpoint, push.policy);
        const createdAt = context.now().toISOString();
        await context.store.putPushSubscription({
          endpoint: body.endpoint,
          identity: auth.identity,
          p256dh: body.keys.p256dh,
          auth: body.keys.auth,
          createdAt,
        });
        const devices = await context.store.listPushSubscriptions(auth.identity);
        for (const old of devices.slice(0, Math.max(0, devices.length - MAX_DEVICES_PER_APPROVER))) {
          await context.store.deletePushSubscription(old.endpoint, auth.identity);
        }
        context.log.info("push subscription added", {
          identity: auth.identity,
          endpoint_host: new URL(body.endpoint).host,
        });
        return jsonResponse(
          {
            object: "push_subscription",
            endpoint: body.endpoint,
            identity: auth.identity,
            created_at: createdAt,
          },
          201,
        );
      },
    }),
    sessionRoute({
      operationId: "inboxUnsubscribePush",
      method: "delete",
      path: "/inbox/api/push/subscriptions",
      summary: "Stop notifying me on this device",
      description:
        "Removes the signed-in approver's subscription at `endpoint`; `removed` is false when there was none.",
      tags: ["inbox"],
      security: { kind: "session", changes: true },
      body: { schema: EndpointSchema, required: true },
      responses: { 200: { description: "Done", schema: RemovedSchema } },
      errors: [400, 401, 403],
      async handle({ auth, body }) {
        const removed = await context.store.deletePushSubscription(body.endpoint, auth.identity);
        return jsonResponse({ ok: true, removed });
      },
    }),
  ];
}
