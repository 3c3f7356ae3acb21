import { generateWebhookSecret, signWebhook } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { verifyStandardWebhook } from "./standard-webhook.ts";
import { VerificationError } from "./verification-error.ts";

const secret = generateWebhookSecret();
const body = JSON.stringify({ type: "pause.decided", timestamp: "2026-11-21T10:00:00.000Z", data: {} });
const now = new Date("2026-11-21T10:00:00.000Z");
const timestamp = Math.floor(now.getTime() / 1000);

function codeOf(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    return (error as VerificationError).code;
  }
}

describe("verifyStandardWebhook against @countersign/core's signer", () => {
  it("accepts a delivery signed by core, with headers in any case", async () => {
    const headers = await signWebhook({ id: "msg_1", timestamp, body, secret });
    expect(codeOf(() => verifyStandardWebhook(body, headers, secret, { now }))).toBeNull();
    const upper = Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [key.toUpperCase(), value]),
    );
    expect(codeOf(() => verifyStandardWebhook(body, upper, secret, { now }))).toBeNull();
  });

  it("accepts when one of several space-separated signatures matches (secret rotation)", async () => {
    const headers = await signWebhook({ id: "msg_1", timestamp, body, secret });
    const other = await signWebhook({ id: "msg_1", timestamp, body, secret: generateWebhookSecret() });
    const rotated = {
      ...headers,
      "webhook-signature": `${other["webhook-signature"]} ${headers["webhook-signature"]}`,
    };
    expect(codeOf(() => verifyStandardWebhook(body, rotated, secret, { now }))).toBeNull();
  });

  it("refuses a changed body, id or timestamp, and another secret", async () => {
    const headers = await signWebhook({ id: "msg_1", timestamp, body, secret });
    expect(codeOf(() => verifyStandardWebhook(`${body} `, headers, secret, { now }))).toBe(
      "webhook_invalid_signature",
    );
    expect(
      codeOf(() => verifyStandardWebhook(body, { ...headers, "webhook-id": "msg_2" }, secret, { now })),
    ).toBe("webhook_invalid_signature");
    expect(
      codeOf(() =>
        verifyStandardWebhook(body, { ...headers, "webhook-timestamp": String(timestamp + 1) }, secret, {
          now,
        }),
      ),
    ).toBe("webhook_invalid_signature");
    expect(codeOf(() => verifyStandardWebhook(body, headers, generateWebhookSecret(), { now }))).toBe(
      "webhook_invalid_signature",
    );
  });

  it("refuses missing headers and garbage signatures", async () => {
    const headers = await signWebhook({ id: "msg_1", timestamp, body, secret });
    expect(codeOf(() => verifyStandardWebhook(body, {}, secret, { now }))).toBe("webhook_invalid_signature");
    for (const signature of [
      "v1,",
      "v2,abc",
      "v1,!!!",
      "",
      headers["webhook-signature"].replace("v1,", "v0,"),
    ]) {
      expect(
        codeOf(() =>
          verifyStandardWebhook(body, { ...headers, "webhook-signature": signature }, secret, { now }),
        ),
      ).toBe("webhook_invalid_signature");
    }
  });

  it("refuses a replay outside the five-minute tolerance, either way", async () => {
    const old = await signWebhook({ id: "msg_1", timestamp: timestamp - 301, body, secret });
    const future = await signWebhook({ id: "msg_1", timestamp: timestamp + 301, body, secret });
    const edge = await signWebhook({ id: "msg_1", timestamp: timestamp - 300, body, secret });
    expect(codeOf(() => verifyStandardWebhook(body, old, secret, { now }))).toBe(
      "webhook_timestamp_out_of_range",
    );
    expect(codeOf(() => verifyStandardWebhook(body, future, secret, { now }))).toBe(
      "webhook_timestamp_out_of_range",
    );
    expect(codeOf(() => verifyStandardWebhook(body, edge, secret, { now }))).toBeNull();
  });
});
