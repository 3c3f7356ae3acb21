import { describe, expect, it } from "vitest";
import { parseConversationTargets } from "./conversation-targets.ts";

describe("parseConversationTargets", () => {
  it("reads named conversations with an optional regional service URL", () => {
    expect(
      parseConversationTargets(
        JSON.stringify({
          "finance-approvals": {
            conversation_id: "19:abc@thread.tacv2",
            service_url: "https://smba.trafficmanager.net/emea/",
          },
          "cfo-chat": { conversation_id: "a:1xYz" },
        }),
      ),
    ).toEqual({
      "finance-approvals": {
        conversationId: "19:abc@thread.tacv2",
        serviceUrl: "https://smba.trafficmanager.net/emea/",
      },
      "cfo-chat": { conversationId: "a:1xYz" },
    });
  });

  it("names the field that is wrong", () => {
    expect(() => parseConversationTargets("{")).toThrow("COUNTERSIGN_TEAMS_TARGETS: not valid JSON");
    expect(() => parseConversationTargets(JSON.stringify({ finance: {} }))).toThrow(
      /^COUNTERSIGN_TEAMS_TARGETS\.finance\.conversation_id: /,
    );
    expect(() =>
      parseConversationTargets(
        JSON.stringify({ finance: { conversation_id: "19:x", service_url: "ftp://x" } }),
      ),
    ).toThrow(/^COUNTERSIGN_TEAMS_TARGETS\.finance\.service_url: /);
    expect(() =>
      parseConversationTargets(JSON.stringify({ finance: { conversation_id: "19:x", channel: "general" } })),
    ).toThrow(/^COUNTERSIGN_TEAMS_TARGETS\.finance: .*channel/);
    expect(() =>
      parseConversationTargets(JSON.stringify({ "two words": { conversation_id: "19:x" } })),
    ).toThrow(/a target name is 1 to 100 characters without spaces/);
  });
});
