import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqliteStore } from "@countersign/core/server";
import { describe, expect, it } from "vitest";
import { channelsFromEnv, slackEmailCandidates } from "./channels-from-env.ts";

describe("channelsFromEnv", () => {
  it("configures no channel without Slack settings, and Slack in HTTP or Socket Mode with them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "countersign-channels-"));
    const store = sqliteStore(join(dir, "countersign.db"));
    try {
      expect(await channelsFromEnv(store, {})).toEqual([]);
      const http = await channelsFromEnv(store, {
        COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1",
        COUNTERSIGN_SLACK_SIGNING_SECRET: "s",
      });
      expect(http.map((channel) => channel.channel)).toEqual(["slack"]);
      expect(http[0]?.routes).toBeTypeOf("function");
      await expect(channelsFromEnv(store, { COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1" })).rejects.toThrow(
        /signingSecret/,
      );
      const socket = await channelsFromEnv(store, {
        COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1",
        COUNTERSIGN_SLACK_APP_TOKEN: "xapp-1",
      });
      expect(socket).toHaveLength(1);
      const summed = await channelsFromEnv(store, {
        COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1",
        COUNTERSIGN_SLACK_SIGNING_SECRET: "s",
        COUNTERSIGN_SLACK_SUMMARY_THRESHOLD: "5",
        COUNTERSIGN_SLACK_SUMMARY_WINDOW_SECONDS: "120",
      });
      expect(summed).toHaveLength(1);
      const slackWith = (settings: Record<string, string>) => () =>
        channelsFromEnv(store, {
          COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1",
          COUNTERSIGN_SLACK_SIGNING_SECRET: "s",
          ...settings,
        });
      await expect(slackWith({ COUNTERSIGN_SLACK_SUMMARY_THRESHOLD: "five" })()).rejects.toThrow(
        /COUNTERSIGN_SLACK_SUMMARY_THRESHOLD must be a whole number/,
      );
      await expect(slackWith({ COUNTERSIGN_SLACK_SUMMARY_THRESHOLD: "0" })()).rejects.toThrow(
        /summary\.threshold/,
      );
      await expect(slackWith({ COUNTERSIGN_SLACK_SUMMARY_WINDOW_SECONDS: "60" })()).rejects.toThrow(
        /needs COUNTERSIGN_SLACK_SUMMARY_THRESHOLD/,
      );
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("offers Slack e-mail matching only existing identities with an address and no Slack member id", async () => {
    const dir = await mkdtemp(join(tmpdir(), "countersign-channels-"));
    const store = sqliteStore(join(dir, "countersign.db"));
    const at = new Date().toISOString();
    const identity = (name: string, email: string | null, slackUserId: string | null) => ({
      identity: name,
      email,
      slackUserId,
      displayName: null,
      groups: [],
      createdAt: at,
      updatedAt: at,
    });
    try {
      await store.migrate();
      await store.putIdentity(identity("carol", "carol@example.com", null));
      await store.putIdentity(identity("dave", "dave@example.com", "U0DAVE"));
      await store.putIdentity(identity("erin", null, null));
      expect(await slackEmailCandidates(store)).toEqual([{ identity: "carol", email: "carol@example.com" }]);
      const slack = await channelsFromEnv(store, {
        COUNTERSIGN_SLACK_BOT_TOKEN: "xoxb-1",
        COUNTERSIGN_SLACK_SIGNING_SECRET: "s",
        COUNTERSIGN_SLACK_MATCH_EMAIL: "1",
        COUNTERSIGN_SLACK_REQUIRE_INBOX_WHEN_TRUNCATED: "1",
      });
      expect(slack.map((channel) => channel.channel)).toEqual(["slack"]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
