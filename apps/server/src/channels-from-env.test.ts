import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqliteStore } from "@countersign/core/server";
import { describe, expect, it } from "vitest";
import { channelsFromEnv } from "./channels-from-env.ts";

describe("channelsFromEnv", () => {
  it("configures no channel without Slack settings, and Slack in HTTP or Socket Mode with them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "countersign-channels-"));
    const store = sqliteStore(join(dir, "countersign.db"));
    try {
      expect(channelsFromEnv(store, {})).toEqual([]);
      const http = channelsFromEnv(store, {
        COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1",
        COUNTERSIGN_SLACK_SIGNING_SECRET: "s",
      });
      expect(http.map((channel) => channel.channel)).toEqual(["slack"]);
      expect(http[0]?.routes).toBeTypeOf("function");
      expect(() => channelsFromEnv(store, { COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(
        /signingSecret/,
      );
      const socket = channelsFromEnv(store, {
        COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1",
        COUNTERSIGN_SLACK_APP_TOKEN: "xapp-1",
      });
      expect(socket).toHaveLength(1);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
