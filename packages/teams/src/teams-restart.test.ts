import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Pause } from "@countersign/core";
import { createApprovalServer, listen, silentLogger, sqliteStore } from "@countersign/core/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { teamsChannel } from "./teams-channel.ts";
import {
  activitiesPath,
  type BotConnectorApi,
  interceptBotConnector,
} from "./test-support/bot-connector-api.ts";
import {
  cardActionActivity,
  connectorToken,
  FINANCE_CONVERSATION,
  postActivity,
} from "./test-support/teams-activities.ts";
import { channelOptions, PAYMENT_REQUEST } from "./test-support/teams-harness.ts";
import { startTokenIssuer, type TokenIssuer } from "./test-support/token-issuer.ts";

const cardId = "1795255200001";
const cardPath = activitiesPath("/emea/", FINANCE_CONVERSATION, cardId);

let dataDir: string;
let issuer: TokenIssuer;
let api: BotConnectorApi;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "countersign-teams-restart-"));
  issuer = await startTokenIssuer();
  api = interceptBotConnector();
});
afterEach(async () => {
  api.done();
  await issuer.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** One run of the server over the same SQLite file, with a Teams channel that starts knowing no cards. */
async function startServer() {
  const store = sqliteStore(join(dataDir, "countersign.db"));
  const teams = teamsChannel({ ...channelOptions(issuer.openIdMetadataUrl), logError: () => {} });
  const server = await createApprovalServer({ store, log: silentLogger, channels: [teams] });
  const listening = await listen(server, { port: 0 });
  const key = async (role: "agent" | "approver", identity: string) =>
    (await server.issueApiKey({ role, identity, ...(role === "agent" && { agentIds: ["*"] }) })).key;
  return {
    url: listening.url,
    agentKey: await key("agent", "agent-owner@example.com"),
    approverKey: await key("approver", "carol@example.com"),
    // Alice clicks in Teams: an approver the server knows.
    aliceKey: await key("approver", "alice@example.com"),
    server,
    async settle() {
      for (let round = 0; round < 2; round += 1) {
        await teams.whenIdle();
        await server.idle();
      }
    },
    async stop() {
      await listening.close();
      await server.close();
      await store.close();
    },
  };
}

async function call(url: string, key: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("after a restart", () => {
  it("updates a card posted before the restart, found through the audit log, when the pause is decided elsewhere", async () => {
    const before = await startServer();
    const pause = (await (
      await call(`${before.url}/v1/pauses`, before.agentKey, PAYMENT_REQUEST)
    ).json()) as Pause;
    await before.settle();
    expect(api.posts()).toHaveLength(1);
    await before.stop();

    const after = await startServer();
    api.reset();
    const decided = await call(`${after.url}/v1/pauses/${pause.pause_id}/decision`, after.approverKey, {
      decision: "reject",
      reason: "Duplicate invoice",
    });
    expect(decided.status).toBe(200);
    await after.settle();
    expect(api.updates().map((update) => update.path)).toEqual([cardPath]);
    expect(api.updates()[0]?.body).toMatchObject({
      summary: "Rejected: Pay Acme Corp $12,450, by carol@example.com via the API",
    });
    expect(JSON.stringify(api.updates()[0]?.body)).toContain("Reason: Duplicate invoice");
    await after.stop();
  });

  it("takes a click on a card posted before the restart and updates that card", async () => {
    const before = await startServer();
    const pause = (await (
      await call(`${before.url}/v1/pauses`, before.agentKey, PAYMENT_REQUEST)
    ).json()) as Pause;
    await before.settle();
    await before.stop();

    const after = await startServer();
    api.reset();
    const activity = cardActionActivity({
      user: "alice",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
    });
    const response = await postActivity(
      `${after.url}/teams/messages`,
      activity,
      connectorToken(issuer, String(activity.serviceUrl)),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: "application/vnd.microsoft.card.adaptive" });
    await after.settle();
    expect(api.updates().map((update) => update.path)).toEqual([cardPath]);
    expect(api.updates()[0]?.body).toMatchObject({
      summary: "Approved: Pay Acme Corp $12,450, by alice@example.com via Teams",
    });
    await after.stop();
  });
});
