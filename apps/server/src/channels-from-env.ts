import type { ChannelPlugin, Store } from "@countersign/core/server";
import { type IdentityEmail, slackChannel } from "@countersign/slack";
import { teamsChannelFromEnv } from "./teams-from-env.ts";

/**
 * The approval channels configured through the environment. Slack:
 * `COUNTERSIGN_SLACK_BOT_TOKEN` with `COUNTERSIGN_SLACK_SIGNING_SECRET` (HTTP mode, routes under /slack)
 * or `COUNTERSIGN_SLACK_APP_TOKEN` (Socket Mode). Slack users map to approvers through the
 * identities' Slack user ids (`countersign identities …`). `COUNTERSIGN_SLACK_CHANNELS`
 * (comma-separated) lists the channels agents may name as recipients, besides the policy's.
 * `COUNTERSIGN_SLACK_MATCH_EMAIL=1` also maps an unmapped clicker to the identity whose e-mail
 * Slack holds, confirmed, for that member (`users.lookupByEmail`, scope `users:read.email`).
 * `COUNTERSIGN_SLACK_REQUIRE_INBOX_WHEN_TRUNCATED=1` drops Approve from cards that cannot show
 * the whole request.
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
        ...(isOn(env.COUNTERSIGN_SLACK_MATCH_EMAIL) && {
          emailMatching: { identities: () => slackEmailCandidates(store) },
        }),
        requireInboxWhenTruncated: isOn(env.COUNTERSIGN_SLACK_REQUIRE_INBOX_WHEN_TRUNCATED),
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

/**
 * Identities a Slack member may be matched to by e-mail: existing ones with
 * an address, and none already mapped to a Slack member id (that mapping wins).
 */
export async function slackEmailCandidates(store: Store): Promise<IdentityEmail[]> {
  return (await store.listIdentities())
    .filter((record) => record.email && !record.slackUserId)
    .map((record) => ({ identity: record.identity, email: record.email as string }));
}

function isOn(value: string | undefined): boolean {
  return value === "1" || value === "true";
}
