import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signSlackRequest, verifySlackSignature } from "./slack-signature.ts";

const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const body = "payload=%7B%22type%22%3A%22block_actions%22%7D";
const timestamp = "1531420618";
const nowSeconds = 1531420618;

describe("Slack request signatures", () => {
  it("signs v0:timestamp:body with HMAC-SHA256 as Slack documents", () => {
    const expected = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
    expect(signSlackRequest(signingSecret, timestamp, body)).toBe(`v0=${expected}`);
  });

  it("accepts a correctly signed, fresh request", () => {
    const signature = signSlackRequest(signingSecret, timestamp, body);
    expect(verifySlackSignature({ signingSecret, timestamp, signature, body, nowSeconds })).toBe(true);
  });

  it("accepts the edges of the five-minute window and refuses beyond it", () => {
    const signature = signSlackRequest(signingSecret, timestamp, body);
    const at = (seconds: number) =>
      verifySlackSignature({ signingSecret, timestamp, signature, body, nowSeconds: seconds });
    expect(at(nowSeconds + 300)).toBe(true);
    expect(at(nowSeconds - 300)).toBe(true);
    expect(at(nowSeconds + 301)).toBe(false);
    expect(at(nowSeconds - 301)).toBe(false);
  });

  it("refuses a changed body, a wrong secret, a wrong version or a truncated signature", () => {
    const signature = signSlackRequest(signingSecret, timestamp, body);
    const verify = (changes: Partial<Parameters<typeof verifySlackSignature>[0]>) =>
      verifySlackSignature({ signingSecret, timestamp, signature, body, nowSeconds, ...changes });
    expect(verify({ body: `${body}x` })).toBe(false);
    expect(verify({ signingSecret: "another-secret" })).toBe(false);
    expect(verify({ signature: signature.replace("v0=", "v1=") })).toBe(false);
    expect(verify({ signature: signature.slice(0, -2) })).toBe(false);
    expect(verify({ signature: signature.toUpperCase() })).toBe(false);
  });

  it("refuses missing headers and a timestamp that is not a number", () => {
    const signature = signSlackRequest(signingSecret, timestamp, body);
    expect(verifySlackSignature({ signingSecret, timestamp: null, signature, body, nowSeconds })).toBe(false);
    expect(verifySlackSignature({ signingSecret, timestamp, signature: null, body, nowSeconds })).toBe(false);
    const odd = "1531420618.0";
    const oddSignature = signSlackRequest(signingSecret, odd, body);
    expect(
      verifySlackSignature({ signingSecret, timestamp: odd, signature: oddSignature, body, nowSeconds }),
    ).toBe(false);
  });
});
