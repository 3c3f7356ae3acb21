import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  APP_ID,
  cardActionActivity,
  connectorToken,
  EMEA_SERVICE_URL,
  postActivity,
  TENANT_ID,
} from "./test-support/teams-activities.ts";
import { startTeamsHarness, type TeamsHarness } from "./test-support/teams-harness.ts";

let harness: TeamsHarness;
beforeEach(async () => {
  harness = await startTeamsHarness();
});
afterEach(async () => {
  await harness.close();
});

const cardId = "1795255200001";

/** Sends Alice's Approve click with the given token (or none) and returns the HTTP answer. */
async function clickWith(pauseId: string, token: (activity: Record<string, unknown>) => string | null) {
  const activity = cardActionActivity({
    user: "alice",
    verb: "countersign.approve",
    pauseId,
    activityId: cardId,
  });
  return postActivity(harness.messagesUrl, activity, token(activity));
}

async function expectRefused(response: Response, pauseId: string, status = 401): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const problem = (await response.json()) as { code: string };
  expect(problem.code).toBe(status === 401 ? "unauthorized" : expect.any(String));
  await harness.settle();
  expect((await harness.getPause(pauseId)).status).toBe("pending");
  expect(harness.api.calls).toEqual([]);
}

describe("Bot Framework authentication of incoming activities", () => {
  it("accepts a token signed with a key from the trusted OpenID metadata, for this app and this service URL", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await clickWith(pause.pause_id, () => connectorToken(harness.issuer, EMEA_SERVICE_URL));
    expect(response.status).toBe(200);
    expect((await harness.getPause(pause.pause_id)).status).toBe("approved");
    // The signing key came from the local issuer the channel was told to trust.
    expect(harness.issuer.requests).toContain("GET /v1/.well-known/keys");
  });

  it("refuses a forged token: signed with a key the issuer never published", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const response = await clickWith(pause.pause_id, () =>
      connectorToken(harness.issuer, EMEA_SERVICE_URL, {}, { forged: true }),
    );
    await expectRefused(response, pause.pause_id);
  });

  it("refuses a token whose key id the issuer does not know", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const token = harness.issuer.sign({ aud: APP_ID, serviceurl: EMEA_SERVICE_URL }, { kid: "unknown-key" });
    await expectRefused(await clickWith(pause.pause_id, () => token), pause.pause_id);
  });

  it("refuses an expired token (beyond the five minutes of clock skew)", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const nowSeconds = Math.floor(Date.now() / 1000);
    const token = connectorToken(harness.issuer, EMEA_SERVICE_URL, {
      nbf: nowSeconds - 7_200,
      exp: nowSeconds - 600,
    });
    await expectRefused(await clickWith(pause.pause_id, () => token), pause.pause_id);
  });

  it("refuses a token for another app (wrong audience)", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const token = connectorToken(harness.issuer, EMEA_SERVICE_URL, {
      aud: "11111111-2222-4333-8444-555555555555",
    });
    await expectRefused(await clickWith(pause.pause_id, () => token), pause.pause_id);
  });

  it("refuses a token from another issuer, including Entra tokens the SDK would take for agentic identities", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    // A validly signed Entra token for this app's audience: the Teams SDK's agentic-identity path
    // accepts those from any tenant's keys. Countersign takes Bot Connector tokens only.
    const entraKeys = nock("https://login.microsoftonline.com")
      .get(`/${TENANT_ID}/discovery/v2.0/keys`)
      .reply(200, harness.issuer.keySet());
    for (const iss of [
      `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
      "https://sts.windows.net/x/",
      "https://evil.example",
    ]) {
      const token = connectorToken(harness.issuer, EMEA_SERVICE_URL, { iss, tid: TENANT_ID });
      await expectRefused(await clickWith(pause.pause_id, () => token), pause.pause_id);
    }
    expect(entraKeys.isDone()).toBe(false);
  });

  it("refuses an activity whose service URL is not the one the token was issued for", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const activity = {
      ...cardActionActivity({
        user: "alice",
        verb: "countersign.approve",
        pauseId: pause.pause_id,
        activityId: cardId,
      }),
      serviceUrl: "https://attacker.example/teams/",
    };
    const response = await postActivity(
      harness.messagesUrl,
      activity,
      connectorToken(harness.issuer, EMEA_SERVICE_URL),
    );
    await expectRefused(response, pause.pause_id);
  });

  it("refuses a request without a token, and an unsigned one", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    await expectRefused(await clickWith(pause.pause_id, () => null), pause.pause_id);
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(
      JSON.stringify({
        iss: "https://api.botframework.com",
        aud: APP_ID,
        serviceurl: EMEA_SERVICE_URL,
        exp: 9e9,
      }),
    ).toString("base64url");
    await expectRefused(await clickWith(pause.pause_id, () => `${header}.${payload}.`), pause.pause_id);
  });

  it("answers malformed and oversized bodies with a 4xx naming the problem", async () => {
    const pause = await harness.openPause();
    harness.api.reset();
    const token = connectorToken(harness.issuer, EMEA_SERVICE_URL);
    const send = (body: string) =>
      fetch(harness.messagesUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body,
      });
    const malformed = await send("{not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      code: "invalid_request",
      detail: "The activity is not valid JSON",
    });
    const array = await send("[1,2]");
    expect(array.status).toBe(400);
    const huge = await send(JSON.stringify({ type: "message", text: "x".repeat(300 * 1024) }));
    expect(huge.status).toBe(413);
    expect((await harness.getPause(pause.pause_id)).status).toBe("pending");
  });
});
