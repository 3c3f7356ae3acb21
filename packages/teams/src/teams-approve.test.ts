import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NOT_AN_APPROVER_TEXT, OTHER_TENANT_TEXT } from "./action-handler.ts";
import { renderCard } from "./card/adaptive-card.ts";
import { activitiesPath, botToken } from "./test-support/bot-connector-api.ts";
import {
  APP_ID,
  EMEA_SERVICE_URL,
  FINANCE_CONVERSATION,
  TENANT_ID,
} from "./test-support/teams-activities.ts";
import {
  APP_PASSWORD,
  messageReply,
  PAYMENT_REQUEST,
  startTeamsHarness,
  type TeamsHarness,
} from "./test-support/teams-harness.ts";
import { adaptiveCardProblems } from "./test-support/validate-card.ts";

let harness: TeamsHarness;
beforeEach(async () => {
  harness = await startTeamsHarness();
});
afterEach(async () => {
  await harness.close();
});

const cardId = "1795255200001";
const cardPath = activitiesPath("/emea/", FINANCE_CONVERSATION, cardId);
const approve = (user: "alice" | "bob" | "owner" | "mallory", pauseId: string) =>
  harness.click({ user, verb: "countersign.approve", pauseId, activityId: cardId });

describe("a pause routed to Teams", () => {
  it("gets an app token from Entra, posts the card to the named conversation and records where it went", async () => {
    const pause = await harness.openPause();
    expect(harness.api.tokenRequests).toEqual([
      {
        path: `/${TENANT_ID}/oauth2/v2.0/token`,
        form: expect.objectContaining({
          grant_type: "client_credentials",
          client_id: APP_ID,
          client_secret: APP_PASSWORD,
          scope: "https://api.botframework.com/.default",
        }),
      },
    ]);
    const { card, summary } = renderCard(pause, {
      now: harness.now(),
      governance: {},
      inboxUrl: `${harness.server.url}/inbox/pauses/${pause.pause_id}`,
    });
    expect(harness.api.calls).toEqual([
      {
        method: "POST",
        path: activitiesPath("/emea/", FINANCE_CONVERSATION),
        authorization: `Bearer ${botToken(1)}`,
        body: {
          type: "message",
          summary,
          attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }],
        },
      },
    ]);
    expect(adaptiveCardProblems(card as unknown as Record<string, unknown>)).toEqual([]);
    expect(summary).toBe("Approval needed: Pay Acme Corp $12,450");

    const audit = await fetch(
      `${harness.server.url}/v1/audit?pause_id=${pause.pause_id}&type=pause.notified`,
      { headers: { authorization: `Bearer ${harness.server.adminKey}` } },
    );
    const events = ((await audit.json()) as { data: { actor: unknown; data: unknown }[] }).data;
    expect(events).toEqual([
      expect.objectContaining({
        actor: { kind: "system", id: "teams" },
        data: {
          channel: "teams",
          target: "finance-approvals",
          conversation_id: FINANCE_CONVERSATION,
          activity_id: cardId,
          service_url: EMEA_SERVICE_URL,
        },
      }),
    ]);
  });

  it("posts to a target without its own service URL through the default Bot Connector", async () => {
    await harness.openPause({
      ...PAYMENT_REQUEST,
      recipients: [{ channel: "teams", target: "finance-leads" }],
    });
    expect(harness.api.posts().map((call) => call.path)).toEqual([
      "/teams/v3/conversations/19:f1nance0leads@thread.tacv2/activities",
    ]);
  });

  it("posts nothing to a conversation the admin did not configure, nor for other channels", async () => {
    const pause = await harness.openPause({
      ...PAYMENT_REQUEST,
      recipients: [
        { channel: "teams", target: "19:attacker0chosen@thread.tacv2" },
        { channel: "email", target: "cfo@example.com" },
      ],
    });
    expect(pause.status).toBe("pending");
    expect(harness.api.calls).toEqual([]);
    expect(harness.teams.allowedTargets()).toEqual(["finance-approvals", "finance-leads"]);
  });
});

describe("Approve in Teams", () => {
  it("records the decision with the Teams user's identity, answers with the decided card and updates it in place", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await approve("alice", pause.pause_id);

    const decided = await harness.getPause(pause.pause_id);
    expect(decided.status).toBe("approved");
    expect(decided.decision?.decided_by).toEqual({
      kind: "human",
      id: "alice@example.com",
      channel: "teams",
    });
    expect(decided.proof?.decided_by).toEqual({ kind: "human", id: "alice@example.com", channel: "teams" });
    expect(decided.proof?.human_response).toBe(true);

    const { card, summary } = renderCard(decided, {
      now: harness.now(),
      governance: {},
      inboxUrl: `${harness.server.url}/inbox/pauses/${pause.pause_id}`,
    });
    expect(response).toEqual({
      status: 200,
      body: { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card },
    });
    expect(summary).toBe("Approved: Pay Acme Corp $12,450, by alice@example.com via Teams");
    expect(JSON.stringify(card)).not.toContain("Action.Execute");
    expect(harness.api.calls).toEqual([
      {
        method: "PUT",
        path: cardPath,
        authorization: `Bearer ${botToken(1)}`,
        body: {
          type: "message",
          summary,
          attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }],
        },
      },
    ]);
  });

  it("tells a late clicker who already decided, changes nothing, and brings the card up to date", async () => {
    const pause = await harness.openPause();
    await harness.server.approve(pause.pause_id);
    await harness.settle();
    expect(harness.api.updates()).toHaveLength(1);
    harness.api.reset();

    const response = await approve("bob", pause.pause_id);
    expect(response.body).toEqual(
      messageReply(
        "Already decided by alice@example.com via the API: approved at 2026-11-21 10:00 UTC. Nothing changed.",
      ),
    );
    const after = await harness.getPause(pause.pause_id);
    expect(after.decision?.decided_by).toEqual({ kind: "human", id: "alice@example.com", channel: "api" });
    // The clicked card was learned from the click, so it is refreshed once more; nothing else is sent.
    expect(harness.api.calls.map((call) => `${call.method} ${call.path}`)).toEqual([`PUT ${cardPath}`]);
  });

  it("lets exactly one of two simultaneous clicks decide, and tells the other who did", async () => {
    const pause = await harness.openPause();
    const [first, second] = await Promise.all([
      approve("alice", pause.pause_id),
      approve("bob", pause.pause_id),
    ]);
    const decided = await harness.getPause(pause.pause_id);
    const winner = decided.decision?.decided_by.id;
    expect(["alice@example.com", "bob@example.com"]).toContain(winner);
    const responses = [first.body, second.body];
    expect(responses.filter((body) => body.type === "application/vnd.microsoft.card.adaptive")).toHaveLength(
      1,
    );
    expect(responses.filter((body) => body.type === "application/vnd.microsoft.activity.message")).toEqual([
      messageReply(
        `Already decided by ${winner} via Teams: approved at 2026-11-21 10:00 UTC. Nothing changed.`,
      ),
    ]);
  });

  it("lets nobody unmapped decide: a message to them alone, and nothing changes", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    for (const verb of ["countersign.approve", "countersign.reject"]) {
      const response = await harness.click({
        user: "mallory",
        verb,
        pauseId: pause.pause_id,
        activityId: cardId,
        reason: "I say no",
      });
      expect(response.body).toEqual(messageReply(NOT_AN_APPROVER_TEXT));
    }
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([]);
  });

  it("refuses the requester approving their own pause, with the reason", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await approve("owner", pause.pause_id);
    expect(response.body).toEqual(
      messageReply(
        "You may not decide this request: An approver may not decide a pause they requested themselves: agent-owner@example.com owns the agent key that opened it. Nothing changed.",
      ),
    );
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([]);
  });

  it("refuses a click from another Microsoft 365 tenant, even from a mapped object id", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await harness.click({
      user: "alice",
      verb: "countersign.approve",
      pauseId: pause.pause_id,
      activityId: cardId,
      tenantId: "0c0ffee0-1111-4222-8333-444455556666",
    });
    expect(response.body).toMatchObject({ value: OTHER_TENANT_TEXT });
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([]);
  });
});
