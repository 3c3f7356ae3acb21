import type { Pause } from "@countersign/core";
import { webApi } from "@slack/bolt";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createCardTracker } from "./card-tracker.ts";
import { renderCard } from "./test-support/checked-card.ts";
import { pauseFixture } from "./test-support/pause-fixture.ts";
import { interceptSlackApi } from "./test-support/slack-api.ts";

const client = new webApi.WebClient("xoxb-test-token", { retryConfig: { retries: 0 } });
const now = new Date("2026-11-21T10:01:00.000Z");
const render = async (pause: Pause) => ({
  message: renderCard(pause, { now, governance: {}, inboxUrl: null }),
  fingerprint: JSON.stringify([pause.status, pause.decision]),
});
const approved = pauseFixture({
  status: "approved",
  decision: {
    status: "approved",
    decided_by: { kind: "human", id: "alice@example.com", channel: "web" },
    reason: null,
    data: null,
    decided_at: "2026-11-21T10:02:00.000Z",
  },
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("the card tracker", () => {
  it("never puts the buttons back when a stale pending state arrives after the decision", async () => {
    const api = interceptSlackApi();
    const cards = createCardTracker({ client, render });
    cards.remember("pau_test123", { channel: "C0FINANCE", ts: "1.1", target: "#finance" }, null);
    await Promise.all([cards.refresh(approved), cards.refresh(pauseFixture())]);
    expect(api.of("chat.update").map((update) => update.text)).toEqual([
      "Approved: Pay Acme Corp $12,450, by alice@example.com via the inbox",
    ]);
    // Settled and forgotten: later refreshes cost no calls.
    await cards.refresh(approved);
    expect(api.of("chat.update")).toHaveLength(1);
    expect(cards.cards("pau_test123")).toEqual([]);
  });

  it("does not update a card that already shows the state", async () => {
    const api = interceptSlackApi();
    const cards = createCardTracker({ client, render });
    const pending = pauseFixture();
    cards.remember(
      "pau_test123",
      { channel: "C0FINANCE", ts: "1.1", target: "#finance" },
      (await render(pending)).fingerprint,
    );
    await cards.refresh(pending);
    expect(api.calls).toEqual([]);
  });

  it("retries a card whose update failed on the next refresh", async () => {
    nock.disableNetConnect();
    const updates: string[] = [];
    nock("https://slack.com")
      .post("/api/chat.update")
      .reply(200, { ok: false, error: "ratelimited" })
      .post("/api/chat.update")
      .reply(async (request: Request) => {
        updates.push(new URLSearchParams(await request.text()).get("text") ?? "");
        return [200, { ok: true }];
      });
    const cards = createCardTracker({ client, render });
    cards.remember("pau_test123", { channel: "C0FINANCE", ts: "1.1", target: "#finance" }, null);
    await expect(cards.refresh(approved)).rejects.toThrow(
      "1 of 1 cards for pau_test123 could not be updated",
    );
    expect(cards.cards("pau_test123")).toHaveLength(1);
    await cards.refresh(approved);
    expect(updates).toEqual(["Approved: Pay Acme Corp $12,450, by alice@example.com via the inbox"]);
    expect(cards.cards("pau_test123")).toEqual([]);
  });
});
