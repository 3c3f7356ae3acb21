import type { Pause, PauseRequest } from "@countersign/core";
import type { Logger, PolicyHook } from "@countersign/core/server";
import { startTestServer } from "@countersign/core/testing";
import type { CardActionResponse } from "../action-handler.ts";
import { type TeamsChannelOptions, teamsChannel } from "../teams-channel.ts";
import { interceptBotConnector } from "./bot-connector-api.ts";
import {
  APP_ID,
  APPROVERS,
  type Click,
  cardActionActivity,
  connectorToken,
  EMEA_SERVICE_URL,
  FINANCE_CONVERSATION,
  LEADS_CONVERSATION,
  postActivity,
  TENANT_ID,
} from "./teams-activities.ts";
import { startTokenIssuer } from "./token-issuer.ts";

export const APP_PASSWORD = "Zq8~teams.app-password_0123456789abcdefXYZ";

export const PAYMENT_REQUEST: PauseRequest = {
  agent_id: "billing-agent",
  action: {
    type: "payment",
    title: "Pay Acme Corp $12,450",
    description: "Pay Acme Corp $12,450",
    data: { payee: "Acme Corp", amount: 12450, currency: "USD" },
    risk: "high",
  },
  recipients: [{ channel: "teams", target: "finance-approvals" }],
  expires_in: 900,
};

/** Options of the channel under test: the local issuer as trusted OpenID metadata, two named targets. */
export function channelOptions(openIdMetadataUrl: string): TeamsChannelOptions {
  return {
    appId: APP_ID,
    appPassword: APP_PASSWORD,
    tenantId: TENANT_ID,
    targets: {
      "finance-approvals": { conversationId: FINANCE_CONVERSATION, serviceUrl: EMEA_SERVICE_URL },
      "finance-leads": { conversationId: LEADS_CONVERSATION },
    },
    approvers: APPROVERS,
    cloud: { openIdMetadataUrl },
  };
}

/**
 * The real approval server (SQLite, 127.0.0.1) with the Teams channel
 * mounted, a local Bot Framework token issuer, the Bot Connector and Entra
 * intercepted, and a clock the test can move.
 */
export async function startTeamsHarness(
  overrides: Partial<TeamsChannelOptions> = {},
  connectorOptions: Parameters<typeof interceptBotConnector>[0] = {},
  serverOptions: { policy?: PolicyHook; log?: Logger } = {},
) {
  const issuer = await startTokenIssuer();
  const api = interceptBotConnector(connectorOptions);
  let clock = new Date("2026-11-21T10:00:00.000Z");
  const now = () => clock;
  const errors: { message: string; details: Record<string, unknown> }[] = [];
  const teams = teamsChannel({
    ...channelOptions(issuer.openIdMetadataUrl),
    now,
    logError: (message, details) => errors.push({ message, details }),
    ...overrides,
  });
  const server = await startTestServer({
    channels: [teams],
    now,
    ...(serverOptions.policy && { policy: serverOptions.policy }),
    ...(serverOptions.log && { serverOptions: { log: serverOptions.log } }),
  });
  const messagesUrl = `${server.url}/teams/messages`;

  /** Waits for the channel's follow-up work and the server's notifications, both ways. */
  async function settle(): Promise<void> {
    for (let round = 0; round < 2; round += 1) {
      await teams.whenIdle();
      await server.server.idle();
    }
  }

  /** Opens a pause and waits until Teams has been told (`settled: false` to return at once). */
  async function openPause(request: PauseRequest = PAYMENT_REQUEST, { settled = true } = {}): Promise<Pause> {
    const response = await fetch(`${server.url}/v1/pauses`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.agentKey}`, "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    if (response.status !== 202) throw new Error(`open failed: ${response.status} ${await response.text()}`);
    const pause = (await response.json()) as Pause;
    if (settled) await settle();
    return pause;
  }

  async function getPause(pauseId: string): Promise<Pause> {
    const pause = await server.server.service.getPause(pauseId);
    if (!pause) throw new Error(`no pause ${pauseId}`);
    return pause;
  }

  /** A click on a card, signed by the local issuer; resolves with the invoke response and settles. */
  async function click(input: Click): Promise<{ status: number; body: CardActionResponse }> {
    const activity = cardActionActivity(input);
    const token = connectorToken(issuer, String(activity.serviceUrl));
    const response = await postActivity(messagesUrl, activity, token);
    const body = (await response.json()) as CardActionResponse;
    await settle();
    return { status: response.status, body };
  }

  return {
    api,
    issuer,
    teams,
    server,
    errors,
    messagesUrl,
    openPause,
    getPause,
    click,
    settle,
    advanceClock(seconds: number) {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
    now,
    async close() {
      await server.close();
      await issuer.close();
      api.done();
    },
  };
}

export type TeamsHarness = Awaited<ReturnType<typeof startTeamsHarness>>;

/** The invoke response that shows `text` to the clicker alone. */
export function messageReply(text: string) {
  return { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: text };
}
