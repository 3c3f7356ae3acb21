import type { WebhookVector } from "@countersign/verify/testing";
import { signWebhook } from "../../webhooks/standard-webhooks.ts";
import type { VectorKeys } from "./vector-keys.ts";

const NOW = "2026-11-21T10:00:00.000Z";
const NOW_SECONDS = Date.parse(NOW) / 1000;

/** Standard Webhooks deliveries signed by core's `signWebhook`, as the server sends them. */
export async function webhookVectors(keys: VectorKeys): Promise<WebhookVector[]> {
  const secret = keys.webhook_secrets.current;
  // A whole event as the server sends one (core's verifyWebhook also parses it with the wire schema).
  const body = JSON.stringify({
    type: "pause.decided",
    timestamp: NOW,
    data: {
      pause: {
        object: "pause",
        pause_id: "pau_vector",
        status: "rejected",
        agent_id: "billing-agent",
        action: { type: "payment", title: "Pay Acme Corp — Zürich €12,450.50", data: { amount: 12450.5 } },
        recipients: [],
        webhook_url: "https://payments.example/hooks/countersign",
        context: {},
        metadata: {},
        created_at: "2026-11-21T09:55:00.000Z",
        expires_at: "2026-11-21T10:55:00.000Z",
        decision: {
          status: "rejected",
          decided_by: { kind: "human", id: "alice@acme.example", channel: "slack" },
          reason: "Wrong payee",
          data: null,
          decided_at: NOW,
        },
        proof: null,
        claimed_at: null,
        links: { self: "/v1/pauses/pau_vector", events: "/e", decision: "/d", inbox: "/i" },
      },
      proof: null,
    },
  });
  const sign = (timestamp = NOW_SECONDS, withSecret = secret, id = "msg_vector") =>
    signWebhook({ id, timestamp, body, secret: withSecret });
  const headers = await sign();
  const signature = headers["webhook-signature"];
  const other = (await sign(NOW_SECONDS, keys.webhook_secrets.other))["webhook-signature"];
  const ok = { valid: true as const, id: "msg_vector", timestamp: NOW_SECONDS };
  const invalid = { valid: false as const, code: "webhook_invalid_signature" };
  const outOfRange = { valid: false as const, code: "webhook_timestamp_out_of_range" };
  const vector = (
    name: string,
    description: string,
    changes: Partial<Omit<WebhookVector, "name" | "description" | "expect">>,
    expect: WebhookVector["expect"],
  ): WebhookVector => ({ name, description, body, headers, secret, now: NOW, ...changes, expect });
  const upper = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toUpperCase(), value]));

  return [
    vector("a signed delivery", "As the server sends it.", {}, ok),
    vector("header names in upper case", "Header names are case-insensitive.", { headers: upper }, ok),
    vector(
      "several signatures, one matching",
      "A sender rotating its secret sends both; any v1 match is enough.",
      { headers: { ...headers, "webhook-signature": `${other} ${signature}` } },
      ok,
    ),
    vector(
      "the secret without its whsec_ prefix",
      "The prefix is optional.",
      { secret: secret.slice("whsec_".length) },
      ok,
    ),
    vector("a changed body", "One added space.", { body: `${body} ` }, invalid),
    vector(
      "a changed id",
      "webhook-id is signed.",
      { headers: { ...headers, "webhook-id": "msg_other" } },
      invalid,
    ),
    vector(
      "a changed timestamp",
      "webhook-timestamp is signed.",
      { headers: { ...headers, "webhook-timestamp": String(NOW_SECONDS + 1) } },
      invalid,
    ),
    vector(
      "another secret",
      "Signed with a secret the receiver does not hold.",
      { secret: keys.webhook_secrets.other },
      invalid,
    ),
    vector(
      "a missing signature header",
      "No webhook-signature.",
      { headers: { "webhook-id": headers["webhook-id"], "webhook-timestamp": headers["webhook-timestamp"] } },
      invalid,
    ),
    vector(
      "another signature version",
      "v2 is not a scheme this receiver knows.",
      { headers: { ...headers, "webhook-signature": signature.replace("v1,", "v2,") } },
      invalid,
    ),
    vector(
      "a signature that is not base64",
      "Garbage after v1,.",
      { headers: { ...headers, "webhook-signature": "v1,!!!" } },
      invalid,
    ),
    vector(
      "a timestamp that is not unix seconds",
      "An ISO date instead.",
      { headers: { ...headers, "webhook-timestamp": NOW } },
      invalid,
    ),
    vector(
      "a delivery 301 seconds old",
      "Past the 300-second tolerance: a possible replay.",
      { headers: await sign(NOW_SECONDS - 301) },
      outOfRange,
    ),
    vector(
      "a delivery 301 seconds in the future",
      "The tolerance holds either way.",
      { headers: await sign(NOW_SECONDS + 301) },
      outOfRange,
    ),
    vector(
      "a delivery exactly 300 seconds old",
      "At the tolerance edge.",
      { headers: await sign(NOW_SECONDS - 300) },
      { ...ok, timestamp: NOW_SECONDS - 300 },
    ),
    vector(
      "a tighter tolerance",
      "tolerance_seconds 10, delivery 11 seconds old.",
      { headers: await sign(NOW_SECONDS - 11), tolerance_seconds: 10 },
      outOfRange,
    ),
  ];
}
