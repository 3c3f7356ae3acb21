import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signSlackRequest } from "./slack-signature.ts";
import { type SlackHarness, startSlackHarness } from "./test-support/slack-harness.ts";
import { clickPayload, postInteraction, postSigned, SIGNING_SECRET } from "./test-support/slack-requests.ts";

let harness: SlackHarness;
beforeEach(async () => {
  harness = await startSlackHarness();
});
afterEach(async () => {
  await harness.close();
});

const cardTs = "1795255200.000101";

describe("the Slack request URLs on the Countersign server", () => {
  it("refuse a bad signature, a stale or future timestamp, a wrong secret and missing headers with 401, deciding nothing", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const approve = clickPayload({
      userId: "U0ALICE",
      actionId: "countersign_approve",
      pauseId: pause.pause_id,
      ts: cardTs,
    });
    const nowSeconds = Math.floor(Date.now() / 1000);
    const attempts = [
      postInteraction(harness.interactionsUrl, approve, { signature: `v0=${"0".repeat(64)}` }),
      postInteraction(harness.interactionsUrl, approve, { timestamp: nowSeconds - 6 * 60 }),
      postInteraction(harness.interactionsUrl, approve, { timestamp: nowSeconds + 6 * 60 }),
      postInteraction(harness.interactionsUrl, approve, { secret: "not-the-signing-secret" }),
      fetch(harness.interactionsUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `payload=${encodeURIComponent(JSON.stringify(approve))}`,
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: "unauthorized" });
    }
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls).toEqual([]);
  });

  it("refuses a body changed after signing", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const signedFor = clickPayload({
      userId: "U0MALLORY",
      actionId: "countersign_approve",
      pauseId: pause.pause_id,
      ts: cardTs,
    });
    const sent = clickPayload({
      userId: "U0ALICE",
      actionId: "countersign_approve",
      pauseId: pause.pause_id,
      ts: cardTs,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signSlackRequest(
      SIGNING_SECRET,
      timestamp,
      `payload=${encodeURIComponent(JSON.stringify(signedFor))}`,
    );
    const response = await fetch(harness.interactionsUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature,
      },
      body: `payload=${encodeURIComponent(JSON.stringify(sent))}`,
    });
    expect(response.status).toBe(401);
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
  });

  it("answers Slack's URL verification on the events URL", async () => {
    const body = JSON.stringify({
      token: "unused",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const response = await postSigned(harness.eventsUrl, body, "application/json");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });
    const unsigned = await fetch(harness.eventsUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(unsigned.status).toBe(401);
  });

  it("acknowledges events and interaction kinds it does not use", async () => {
    const event = JSON.stringify({
      type: "event_callback",
      event: { type: "app_home_opened", user: "U0ALICE" },
    });
    expect((await postSigned(harness.eventsUrl, event, "application/json")).status).toBe(200);
    const closed = await postInteraction(harness.interactionsUrl, {
      type: "view_closed",
      user: { id: "U0ALICE" },
      view: {},
    });
    expect(closed.status).toBe(200);
    await harness.settle();
    expect(harness.api.calls).toEqual([]);
  });

  it("answers 400 to a signed but malformed payload, and 413 to an oversized body", async () => {
    const malformed = await postSigned(
      harness.interactionsUrl,
      "payload=%7Bnot-json",
      "application/x-www-form-urlencoded",
    );
    expect(malformed.status).toBe(400);
    const wrongShape = await postInteraction(harness.interactionsUrl, {
      type: "block_actions",
      user: {},
      actions: [],
    });
    expect(wrongShape.status).toBe(400);
    const huge = await postSigned(
      harness.interactionsUrl,
      `payload=${"a".repeat(1024 * 1024 + 1)}`,
      "application/x-www-form-urlencoded",
    );
    expect(huge.status).toBe(413);
  });
});
