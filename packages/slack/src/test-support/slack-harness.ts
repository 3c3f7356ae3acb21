import type { Pause, PauseRequest } from "@countersign/core";
import type { PolicyHook } from "@countersign/core/server";
import { startTestServer } from "@countersign/core/testing";
import { type SlackChannelOptions, slackChannel } from "../slack-channel.ts";
import { interceptSlackApi } from "./slack-api.ts";
import { FINANCE_CHANNEL_ID, SIGNING_SECRET } from "./slack-requests.ts";

export const PAYMENT_REQUEST: PauseRequest = {
  agent_id: "billing-agent",
  action: {
    type: "payment",
    title: "Pay Acme Corp $12,450",
    description: "Pay Acme Corp $12,450",
    data: { payee: "Acme Corp", amount: 12450, currency: "USD" },
    risk: "high",
  },
  recipients: [{ channel: "slack", target: "#finance-approvals" }],
  expires_in: 900,
};

/** Slack users the test app maps; U0MALLORY is deliberately not mapped. */
export const APPROVERS = {
  U0ALICE: "alice@example.com",
  U0BOB: "bob@example.com",
  U0OWNER: "agent-owner@example.com",
};

/**
 * The real approval server (SQLite, 127.0.0.1) with the Slack channel
 * mounted, Slack's Web API intercepted, and a clock the test can move.
 */
export async function startSlackHarness(
  overrides: Partial<SlackChannelOptions> = {},
  apiOptions: Omit<Parameters<typeof interceptSlackApi>[0], "channelIds"> = {},
  serverOptions: { policy?: PolicyHook } = {},
) {
  const api = interceptSlackApi({
    channelIds: { "#finance-approvals": FINANCE_CHANNEL_ID, "#finance-leads": "C0LEADS", U0ALICE: "D0ALICE" },
    ...apiOptions,
  });
  let clock = new Date("2026-11-21T10:00:00.000Z");
  const now = () => clock;
  const errors: { message: string; details: Record<string, unknown> }[] = [];
  const slack = slackChannel({
    botToken: "xoxb-test-token",
    signingSecret: SIGNING_SECRET,
    approvers: APPROVERS,
    // What an admin allows agents to name; a DM target too, since this directory is not the server's store.
    allowedChannels: ["#finance-approvals", "#finance-leads", "#gone", "U0ALICE"],
    clientOptions: { retryConfig: { retries: 0 } },
    now,
    logError: (message, details) => errors.push({ message, details }),
    ...overrides,
  });
  const server = await startTestServer({ channels: [slack], now, ...serverOptions });

  /** Waits for the Slack follow-up work and the server's channel notifications, both ways. */
  async function settle(): Promise<void> {
    for (let round = 0; round < 2; round += 1) {
      await slack.whenIdle();
      await server.server.idle();
    }
  }

  /** Opens a pause and waits until Slack has been told (`settled: false` to return at once). */
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

  return {
    api,
    slack,
    server,
    errors,
    interactionsUrl: `${server.url}/slack/interactions`,
    eventsUrl: `${server.url}/slack/events`,
    openPause,
    getPause,
    settle,
    advanceClock(seconds: number) {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
    now,
    async close() {
      await server.close();
      api.done();
    },
  };
}

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;
