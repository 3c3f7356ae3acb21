import { randomUUID } from "node:crypto";
import type { TokenIssuer } from "./token-issuer.ts";

export const APP_ID = "3f6b8c2e-91d4-4a7e-b5c0-6d2e8f1a4b97";
export const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const EMEA_SERVICE_URL = "https://smba.trafficmanager.net/emea/";
export const FINANCE_CONVERSATION = "19:f1nance0approvals@thread.tacv2";
export const LEADS_CONVERSATION = "19:f1nance0leads@thread.tacv2";

/** Teams users of the tests: Entra object id and the per-app Teams id. MALLORY is mapped to nobody. */
export const USERS = {
  alice: { aadObjectId: "0b2a7c55-1f3e-4d6a-9c8b-7e5f4a3d2c1b", id: "29:1AliceTeamsId", name: "Alice" },
  bob: { aadObjectId: "5c8d9e0f-2a3b-4c5d-8e7f-9a0b1c2d3e4f", id: "29:1BobTeamsId", name: "Bob" },
  owner: { aadObjectId: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", id: "29:1OwnerTeamsId", name: "Agent Owner" },
  mallory: { aadObjectId: "deadbeef-0000-4000-8000-00000000dead", id: "29:1MalloryTeamsId", name: "Mallory" },
} as const;
export type TestUser = keyof typeof USERS;

/** Object id → identity, as an admin would map them (the owner is the agent key's owner). */
export const APPROVERS: Record<string, string> = {
  [USERS.alice.aadObjectId]: "alice@example.com",
  [USERS.bob.aadObjectId]: "bob@example.com",
  [USERS.owner.aadObjectId]: "agent-owner@example.com",
};

export interface Click {
  user: TestUser;
  verb: string;
  pauseId: string;
  /** The message the card is in. */
  activityId: string;
  reason?: string;
  conversationId?: string;
  serviceUrl?: string;
  tenantId?: string;
}

/** An `adaptiveCard/action` invoke as Teams sends it for an `Action.Execute` on a card in a channel. */
export function cardActionActivity(click: Click): Record<string, unknown> {
  const user = USERS[click.user];
  const conversation = click.conversationId ?? FINANCE_CONVERSATION;
  const tenantId = click.tenantId ?? TENANT_ID;
  return {
    name: "adaptiveCard/action",
    type: "invoke",
    timestamp: "2026-11-21T10:01:00.000Z",
    localTimestamp: "2026-11-21T11:01:00.000+01:00",
    id: `f:${randomUUID()}`,
    channelId: "msteams",
    serviceUrl: click.serviceUrl ?? EMEA_SERVICE_URL,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: {
      isGroup: true,
      conversationType: "channel",
      tenantId,
      id: `${conversation};messageid=${click.activityId}`,
    },
    recipient: { id: `28:${APP_ID}`, name: "Countersign" },
    entities: [
      { locale: "en-US", country: "US", platform: "Web", timezone: "Europe/Berlin", type: "clientInfo" },
    ],
    channelData: {
      channel: { id: conversation },
      team: { id: conversation },
      tenant: { id: tenantId },
      source: { name: "message" },
      legacy: { replyToId: click.activityId },
    },
    replyToId: click.activityId,
    value: {
      action: {
        type: "Action.Execute",
        title: click.verb === "countersign.reject" ? "Reject" : "Approve",
        data: { pause_id: click.pauseId, ...(click.reason !== undefined && { reason: click.reason }) },
        verb: click.verb,
      },
      trigger: "manual",
    },
    locale: "en-US",
  };
}

/** A token as the Bot Connector presents it for an activity from `serviceUrl`. */
export function connectorToken(
  issuer: TokenIssuer,
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
  options: { forged?: boolean } = {},
): string {
  return issuer.sign({ aud: APP_ID, serviceurl: serviceUrl, ...overrides }, options);
}

/** POSTs an activity to the messaging endpoint the way the Bot Connector does. */
export function postActivity(
  url: string,
  activity: Record<string, unknown>,
  token: string | null,
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token !== null && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(activity),
  });
}
