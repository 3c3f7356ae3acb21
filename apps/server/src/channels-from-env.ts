import type { ChannelPlugin, Store } from "@countersign/core/server";
import { slackChannel } from "@countersign/slack";
import { teamsChannelFromEnv } from "./teams-from-env.ts";

/**
 * The approval channels configured through the environment. Slack:
 * `COUNTERSIGN_SLACK_BOT_TOKEN` with `COUNTERSIGN_SLACK_SIGNING_SECRET` (HTTP mode, routes under /slack)
 * or `COUNTERSIGN_SLACK_APP_TOKEN` (Socket Mode). Slack users map to approvers through the
 * identities' Slack user ids (`countersign identities …`). `COUNTERSIGN_SLACK_CHANNELS`
 * (comma-separated) lists the channels agents may name as recipients, besides the policy's.
 * Teams: `COUNTERSIGN_TEAMS_*` (see `teamsChannelFromEnv`), mounted at /teams/messages.
 */
export function channelsFromEnv(store: Store, env: NodeJS.ProcessEnv = process.env): ChannelPlugin[] {
  const channels: ChannelPlugin[] = [];
  const botToken = env.COUNTERSIGN_SLACK_BOT_TOKEN;
  if (botToken) {
    const appToken = env.COUNTERSIGN_SLACK_APP_TOKEN;
    channels.push(
      slackChannel({
        botToken,
        ...(env.COUNTERSIGN_SLACK_SIGNING_SECRET && { signingSecret: env.COUNTERSIGN_SLACK_SIGNING_SECRET }),
        ...(appToken && { appToken, socketMode: true }),
        approvers: async (slackUserId) =>
          (await store.findIdentityBySlackUser(slackUserId))?.identity ?? null,
        allowedChannels: (env.COUNTERSIGN_SLACK_CHANNELS ?? "")
          .split(",")
          .map((channel) => channel.trim())
          .filter((channel) => channel !== ""),
      }),
    );
  }
  const teams = teamsChannelFromEnv(store, env);
  if (teams) channels.push(teams);
  return channels;
}
