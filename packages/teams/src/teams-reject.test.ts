import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REASON_REQUIRED_TEXT } from "./action-handler.ts";
import { renderCard } from "./card/adaptive-card.ts";
import { activitiesPath } from "./test-support/bot-connector-api.ts";
import { FINANCE_CONVERSATION } from "./test-support/teams-activities.ts";
import { messageReply, startTeamsHarness, type TeamsHarness } from "./test-support/teams-harness.ts";

let harness: TeamsHarness;
beforeEach(async () => {
  harness = await startTeamsHarness();
});
afterEach(async () => {
  await harness.close();
});

const cardId = "1795255200001";
const reject = (pauseId: string, reason?: string) =>
  harness.click({
    user: "alice",
    verb: "countersign.reject",
    pauseId,
    activityId: cardId,
    ...(reason !== undefined && { reason }),
  });

describe("Reject in Teams", () => {
  it("rejects with the reason typed on the card, which the proof and the card carry", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await reject(pause.pause_id, "  Duplicate of INV-2290  ");

    const decided = await harness.getPause(pause.pause_id);
    expect(decided.status).toBe("rejected");
    expect(decided.decision).toMatchObject({
      reason: "Duplicate of INV-2290",
      decided_by: { kind: "human", id: "alice@example.com", channel: "teams" },
    });
    expect(decided.proof).toMatchObject({ decision: "rejected", reason: "Duplicate of INV-2290" });
    const { card } = renderCard(decided, {
      now: harness.now(),
      governance: {},
      inboxUrl: `${harness.server.url}/inbox/pauses/${pause.pause_id}`,
    });
    expect(response.body).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.card.adaptive",
      value: card,
    });
    expect(JSON.stringify(card)).toContain("Reason: Duplicate of INV-2290");
    const updates = harness.api.updates();
    expect(updates.map((update) => update.path)).toEqual([
      activitiesPath("/emea/", FINANCE_CONVERSATION, cardId),
    ]);
    expect(updates[0]?.body).toMatchObject({
      summary: "Rejected: Pay Acme Corp $12,450, by alice@example.com via Teams",
      attachments: [{ content: card }],
    });
  });

  it("refuses an empty or blank reason, and a click that sent none, changing nothing", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    for (const reason of ["", "   \n\t ", undefined]) {
      const response = await reject(pause.pause_id, reason);
      expect(response.body).toEqual(messageReply(REASON_REQUIRED_TEXT));
    }
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([]);
  });

  it("neutralises a reason's markup on the card everyone sees", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    await reject(pause.pause_id, "see [the policy](https://evil.example) <at>CFO</at>");
    const content = JSON.stringify(harness.api.updates()[0]?.body);
    expect(content).toContain(
      "Reason: see \uFF3Bthe policy\uFF3D(https:\u200B//evil.example) \u2039at\u203ACFO\u2039/at\u203A",
    );
    // The proof keeps the reason exactly as typed: only the card's rendering is neutralised.
    expect((await harness.getPause(pause.pause_id)).decision?.reason).toBe(
      "see [the policy](https://evil.example) <at>CFO</at>",
    );
  });
});
