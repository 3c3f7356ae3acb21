import { describe, expect, it } from "vitest";
import { isSlackResponseUrl, replyThroughResponseUrl } from "./response-url.ts";

describe("response_url replies", () => {
  it("post only to Slack's own HTTPS hosts", async () => {
    expect(isSlackResponseUrl("https://hooks.slack.com/actions/T0/1/abc")).toBe(true);
    expect(isSlackResponseUrl("https://hooks.slack-gov.com/actions/T0/1/abc")).toBe(true);
    for (const url of [
      "http://hooks.slack.com/actions/T0/1/abc",
      "https://hooks.slack.com.evil.example/actions",
      "https://evil.example/?hooks.slack.com",
      "https://127.0.0.1/actions",
      "not a url",
    ]) {
      expect(isSlackResponseUrl(url)).toBe(false);
    }
    await expect(replyThroughResponseUrl("https://127.0.0.1:1/x", "hi")).rejects.toThrow(
      "response_url is not a Slack URL",
    );
  });
});
