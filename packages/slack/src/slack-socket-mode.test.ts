import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeSocketModeServer } from "./test-support/fake-socket-mode-server.ts";
import { type SlackHarness, startSlackHarness } from "./test-support/slack-harness.ts";
import {
  clickPayload,
  FINANCE_CHANNEL_ID,
  RESPONSE_URL,
  reasonSubmission,
} from "./test-support/slack-requests.ts";

let socketServer: Awaited<ReturnType<typeof startFakeSocketModeServer>>;
let harness: SlackHarness;
beforeEach(async () => {
  socketServer = await startFakeSocketModeServer();
  harness = await startSlackHarness(
    { socketMode: true, appToken: "xapp-1-test", signingSecret: undefined },
    { socketUrl: socketServer.url },
  );
});
afterEach(async () => {
  await harness.close();
  await socketServer.close();
});

const cardTs = "1795255200.000101";

describe("Socket Mode (no public URL)", () => {
  it("connects with the app-level token and mounts no HTTP routes", async () => {
    expect(harness.api.of("apps.connections.open")).toHaveLength(1);
    const response = await fetch(harness.interactionsUrl, { method: "POST", body: "payload=%7B%7D" });
    expect(response.status).toBe(404);
  });

  it("approves through the same handler: acknowledged, recorded as the Slack user, card updated", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const ack = await socketServer.send(
      clickPayload({
        userId: "U0ALICE",
        actionId: "countersign_approve",
        pauseId: pause.pause_id,
        ts: cardTs,
      }),
    );
    expect(ack).toEqual({});
    await harness.settle();
    const decided = await harness.getPause(pause.pause_id);
    expect(decided.proof?.decided_by).toEqual({ kind: "human", id: "alice@example.com", channel: "slack" });
    expect(harness.api.of("chat.update")).toEqual([
      expect.objectContaining({
        channel: FINANCE_CHANNEL_ID,
        ts: cardTs,
        text: "Approved: Pay Acme Corp $12,450, by alice@example.com via Slack",
      }),
    ]);
  });

  it("rejects through the modal, answering validation errors in the acknowledgement", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    await socketServer.send(
      clickPayload({ userId: "U0BOB", actionId: "countersign_reject", pauseId: pause.pause_id, ts: cardTs }),
    );
    await harness.settle();
    const view = harness.api.of("views.open")[0]?.view as { private_metadata: string };
    expect(view.private_metadata).toBe(
      JSON.stringify({
        pause_id: pause.pause_id,
        channel: FINANCE_CHANNEL_ID,
        ts: cardTs,
        response_url: RESPONSE_URL,
      }),
    );

    const refused = await socketServer.send(
      reasonSubmission({
        userId: "U0BOB",
        privateMetadata: view.private_metadata,
        preset: null,
        explanation: null,
      }),
    );
    expect(refused).toEqual({ response_action: "errors", errors: { reason_preset: "Choose a reason." } });
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");

    const accepted = await socketServer.send(
      reasonSubmission({
        userId: "U0BOB",
        privateMetadata: view.private_metadata,
        preset: "needs_information",
        explanation: null,
      }),
    );
    expect(accepted).toEqual({});
    await harness.settle();
    const decided = await harness.getPause(pause.pause_id);
    expect(decided.status).toBe("rejected");
    expect(decided.decision?.reason).toBe("Needs more information");
    expect(decided.decision?.decided_by).toEqual({ kind: "human", id: "bob@example.com", channel: "slack" });
  });

  it("ignores an unmapped user over the socket too (told with chat.postEphemeral when the payload has no response_url)", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    await socketServer.send(
      clickPayload({
        userId: "U0MALLORY",
        actionId: "countersign_approve",
        pauseId: pause.pause_id,
        ts: cardTs,
        responseUrl: null,
      }),
    );
    await harness.settle();
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
    expect(harness.api.calls.map((call) => call.method)).toEqual(["chat.postEphemeral"]);
  });
});
