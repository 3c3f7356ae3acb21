import { afterEach, describe, expect, it } from "vitest";
import type { TeamsUser } from "./approver-directory.ts";
import {
  APP_ID,
  connectorToken,
  EMEA_SERVICE_URL,
  FINANCE_CONVERSATION,
  postActivity,
  TENANT_ID,
  USERS,
} from "./test-support/teams-activities.ts";
import { startTeamsHarness, type TeamsHarness } from "./test-support/teams-harness.ts";

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const cardId = "1795255200001";

describe("who a Teams user is", () => {
  it("maps by Entra object id alone by default: no roster lookup, no e-mail", async () => {
    const seen: TeamsUser[] = [];
    harness = await startTeamsHarness({
      approvers: (user) => {
        seen.push(user);
        return user.aadObjectId === USERS.bob.aadObjectId ? "bob@example.com" : null;
      },
    });
    const pause = await harness.openPause();
    harness.api.reset();
    await harness.click({
      user: "bob",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
    });
    expect(seen).toEqual([{ id: USERS.bob.id, aadObjectId: USERS.bob.aadObjectId }]);
    expect((await harness.getPause(pause.pause_id)).decision?.decided_by.id).toBe("bob@example.com");
    expect(harness.api.calls.filter((call) => call.method === "GET")).toEqual([]);
  });

  it("with matchEmail, reads the clicker's UPN and e-mail from the conversation's roster", async () => {
    harness = await startTeamsHarness(
      {
        matchEmail: true,
        approvers: (user) => (user.email === "carol@example.com" ? "carol@example.com" : null),
      },
      {
        members: {
          [USERS.mallory.id]: {
            userPrincipalName: "carol@contoso.onmicrosoft.com",
            email: "carol@example.com",
          },
        },
      },
    );
    // Carol is an approver the server knows; her Teams account is found through the roster.
    const at = new Date().toISOString();
    await harness.server.store.putIdentity({
      identity: "carol@example.com",
      email: "carol@example.com",
      slackUserId: null,
      displayName: null,
      groups: [],
      createdAt: at,
      updatedAt: at,
    });
    const pause = await harness.openPause();
    harness.api.reset();
    await harness.click({
      user: "mallory",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
    });
    expect(harness.api.calls.filter((call) => call.method === "GET").map((call) => call.path)).toEqual([
      `/emea/v3/conversations/${FINANCE_CONVERSATION}/members/${USERS.mallory.id}`,
    ]);
    expect((await harness.getPause(pause.pause_id)).decision?.decided_by).toEqual({
      kind: "human",
      id: "carol@example.com",
      channel: "teams",
    });
  });
});

describe("installing the app", () => {
  it("reports the conversation it was added to, so an admin can make it a target", async () => {
    const reported: { message: string; details: Record<string, unknown> }[] = [];
    harness = await startTeamsHarness({ logInfo: (message, details) => reported.push({ message, details }) });
    const installation = {
      type: "installationUpdate",
      action: "add",
      id: "f:install-1",
      channelId: "msteams",
      serviceUrl: EMEA_SERVICE_URL,
      from: { id: USERS.alice.id, aadObjectId: USERS.alice.aadObjectId },
      recipient: { id: `28:${APP_ID}`, name: "Countersign" },
      conversation: {
        id: `${FINANCE_CONVERSATION};messageid=1795255100000`,
        conversationType: "channel",
        tenantId: TENANT_ID,
        isGroup: true,
      },
      channelData: { tenant: { id: TENANT_ID }, team: { id: FINANCE_CONVERSATION } },
    };
    const response = await postActivity(
      harness.messagesUrl,
      installation,
      connectorToken(harness.issuer, EMEA_SERVICE_URL),
    );
    expect(response.status).toBe(200);
    expect(reported).toEqual([
      {
        message: "Countersign was added to a Teams conversation",
        details: {
          conversation_id: FINANCE_CONVERSATION,
          conversation_type: "channel",
          service_url: EMEA_SERVICE_URL,
          tenant_id: TENANT_ID,
        },
      },
    ]);
    // Nothing else happens: no card, no reply.
    expect(harness.api.calls).toEqual([]);
  });
});
