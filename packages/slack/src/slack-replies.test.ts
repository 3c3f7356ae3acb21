import { afterEach, describe, expect, it } from "vitest";
import { INBOX_REQUIRED_TEXT, NOT_AN_APPROVER_TEXT } from "./interaction-handler.ts";
import { PAYMENT_REQUEST, type SlackHarness, startSlackHarness } from "./test-support/slack-harness.ts";
import {
  clickPayload,
  ephemeralReply,
  FINANCE_CHANNEL_ID,
  postInteraction,
} from "./test-support/slack-requests.ts";

let harness: SlackHarness;
afterEach(async () => {
  await harness.close();
});

const cardTs = "1795255200.000101";

async function approveClick(userId: string, pauseId: string): Promise<void> {
  const response = await postInteraction(
    harness.interactionsUrl,
    clickPayload({ userId, actionId: "countersign_approve", pauseId, ts: cardTs }),
  );
  expect(response.status).toBe(200);
  await harness.settle();
}

describe("replies only the clicker sees", () => {
  it("fall back to chat.postEphemeral when the response_url is refused (expired after 30 minutes)", async () => {
    harness = await startSlackHarness({}, { responseUrlStatus: 404 });
    const pause = await harness.openPause();
    harness.api.reset();
    await approveClick("U0MALLORY", pause.pause_id);
    expect(harness.api.calls).toEqual([
      { method: "response_url", args: ephemeralReply(NOT_AN_APPROVER_TEXT) },
      {
        method: "chat.postEphemeral",
        args: { channel: FINANCE_CHANNEL_ID, user: "U0MALLORY", text: NOT_AN_APPROVER_TEXT },
      },
    ]);
  });
});

describe("requireInboxWhenTruncated", () => {
  const longRequest = {
    ...PAYMENT_REQUEST,
    action: { ...PAYMENT_REQUEST.action, body: "A long purchase order. ".repeat(400) },
  };

  it("posts a card without Approve and refuses an Approve click from an older card", async () => {
    harness = await startSlackHarness({ requireInboxWhenTruncated: true });
    const pause = await harness.openPause(longRequest);
    const [post] = harness.api.of("chat.postMessage");
    const actions = ((post?.blocks ?? []) as { type: string; elements?: { action_id: string }[] }[]).find(
      (block) => block.type === "actions",
    );
    expect(actions?.elements?.map((element) => element.action_id)).toEqual([
      "countersign_open_inbox",
      "countersign_reject",
    ]);
    harness.api.reset();

    await approveClick("U0ALICE", pause.pause_id);
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.of("response_url")).toEqual([ephemeralReply(INBOX_REQUIRED_TEXT)]);
  });

  it("still lets a card that shows everything be approved in Slack", async () => {
    harness = await startSlackHarness({ requireInboxWhenTruncated: true });
    const pause = await harness.openPause();
    await approveClick("U0ALICE", pause.pause_id);
    expect((await harness.getPause(pause.pause_id)).status).toBe("approved");
  });
});

describe("matching Slack users to identities by e-mail", () => {
  const carol = {
    id: "U0CAROL",
    team_id: "T0TEAM",
    deleted: false,
    is_bot: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_email_confirmed: true,
    profile: { email: "carol@example.com" },
  };
  const identities = () => [{ identity: "carol@example.com", email: "carol@example.com" }];

  /** Carol is an existing approver identity in the server's store (only her e-mail is known, no Slack id). */
  async function putCarol(): Promise<void> {
    const now = new Date().toISOString();
    await harness.server.store.putIdentity({
      identity: "carol@example.com",
      email: "carol@example.com",
      slackUserId: null,
      displayName: "Carol",
      groups: [],
      createdAt: now,
      updatedAt: now,
    });
  }

  it("is off by default: an unmapped clicker decides nothing and Slack is not asked", async () => {
    harness = await startSlackHarness({}, { membersByEmail: { "carol@example.com": carol } });
    await putCarol();
    const pause = await harness.openPause();
    await approveClick("U0CAROL", pause.pause_id);
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.of("users.lookupByEmail")).toEqual([]);
    expect(harness.api.of("response_url")).toEqual([ephemeralReply(NOT_AN_APPROVER_TEXT)]);
  });

  it("maps the member Slack holds an identity's confirmed address for, and caches the answer", async () => {
    harness = await startSlackHarness(
      { emailMatching: { identities } },
      { membersByEmail: { "carol@example.com": carol } },
    );
    await putCarol();
    const first = await harness.openPause();
    await approveClick("U0CAROL", first.pause_id);
    const decided = await harness.getPause(first.pause_id);
    expect(decided.status).toBe("approved");
    expect(decided.decision?.decided_by).toEqual({
      kind: "human",
      id: "carol@example.com",
      channel: "slack",
    });

    const second = await harness.openPause();
    await approveClick("U0CAROL", second.pause_id);
    expect((await harness.getPause(second.pause_id)).status).toBe("approved");
    expect(harness.api.of("users.lookupByEmail")).toEqual([{ email: "carol@example.com" }]);
  });

  it("maps nobody whose address is unconfirmed, who is a guest, or who is another member", async () => {
    for (const [clicker, member] of [
      ["U0CAROL", { ...carol, is_email_confirmed: false }],
      ["U0CAROL", { ...carol, is_restricted: true }],
      ["U0MALLORY", carol],
    ] as const) {
      harness = await startSlackHarness(
        { emailMatching: { identities } },
        { membersByEmail: { "carol@example.com": member } },
      );
      await putCarol();
      const pause = await harness.openPause();
      await approveClick(clicker, pause.pause_id);
      expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
      expect(harness.api.of("response_url")).toEqual([ephemeralReply(NOT_AN_APPROVER_TEXT)]);
      await harness.close();
    }
    harness = await startSlackHarness();
  });
});
