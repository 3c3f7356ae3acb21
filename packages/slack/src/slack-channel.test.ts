import { describe, expect, it } from "vitest";
import { slackChannel } from "./slack-channel.ts";

describe("slackChannel options", () => {
  it("needs a signing secret for HTTP mode and an app-level token for Socket Mode", () => {
    expect(() => slackChannel({ botToken: "xoxb-1", approvers: {} })).toThrow(
      expect.objectContaining({ code: "invalid_request" }),
    );
    expect(() => slackChannel({ botToken: "xoxb-1", socketMode: true, approvers: {} })).toThrow(/appToken/);
    expect(() => slackChannel({ botToken: "", signingSecret: "s", approvers: {} })).toThrow(/botToken/);
    expect(() =>
      slackChannel({ botToken: "xoxb-1", signingSecret: "s", approvers: {}, summary: { threshold: 0 } }),
    ).toThrow(/summary\.threshold/);
  });

  it("serves the slack channel and mounts its two Request URLs under the prefix", () => {
    const slack = slackChannel({
      botToken: "xoxb-1",
      signingSecret: "secret",
      approvers: {},
      pathPrefix: "/hooks/slack/",
    });
    expect(slack.channel).toBe("slack");
    const service = { onPauseChanged: () => () => {} } as unknown as Parameters<
      NonNullable<typeof slack.routes>
    >[0];
    expect(slack.routes?.(service).map((route) => `${route.method} ${route.path}`)).toEqual([
      "POST /hooks/slack/events",
      "POST /hooks/slack/interactions",
    ]);
  });
});
