import { describe, expect, it } from "vitest";
import { escapeMrkdwn, plainText, truncate } from "./escape-mrkdwn.ts";

describe("escapeMrkdwn", () => {
  it("turns Slack control sequences into visible text", () => {
    const escaped = escapeMrkdwn("<!channel> <@U024BE7LH> <https://evil.example|Approve here> <#C123>");
    expect(escaped).toBe(
      "&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|Approve here&gt; &lt;#C123&gt;",
    );
    expect(escaped).not.toMatch(/[<>]/);
  });

  it("escapes & first, so text that already looks like an entity stays literal", () => {
    expect(escapeMrkdwn("&lt;!here&gt; & co")).toBe("&amp;lt;!here&amp;gt; &amp; co");
  });

  it("breaks bare broadcast words so they cannot ping", () => {
    const escaped = escapeMrkdwn("ping @channel, @HERE and @everyone");
    expect(escaped).not.toMatch(/@(channel|here|everyone)/i);
    expect(escaped.replaceAll("\u200B", "")).toBe("ping @channel, @HERE and @everyone");
  });

  it("swaps formatting characters for look-alikes so agent text cannot bold, strike or code-format", () => {
    const escaped = escapeMrkdwn("*APPROVED* by _the CFO_ ~not~ `rm -rf`");
    expect(escaped).not.toMatch(/[*_~`]/);
    expect(escaped).toBe("\u2217APPROVED\u2217 by \uFF3Fthe CFO\uFF3F \u223Cnot\u223C \u02CBrm -rf\u02CB");
  });
});

describe("plainText", () => {
  it("disables emoji codes and keeps the text exactly", () => {
    expect(plainText(":rotating_light: <!channel>")).toEqual({
      type: "plain_text",
      text: ":rotating_light: <!channel>",
      emoji: false,
    });
  });

  it("never sends an empty text object, which Slack rejects", () => {
    expect(plainText("").text).toBe(" ");
  });
});

describe("truncate", () => {
  it("cuts to the limit and marks the cut", () => {
    expect(truncate("abcdef", 4)).toBe("abc\u2026");
    expect(truncate("abc", 4)).toBe("abc");
  });
});
