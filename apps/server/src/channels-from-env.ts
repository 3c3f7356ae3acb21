import { CountersignError } from "@countersign/core";
import type { ChannelPlugin, Store } from "@countersign/core/server";
import type { IdentityEmail, SlackSummaryOptions } from "@countersign/slack";
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
 * the whole request. `COUNTERSIGN_SLACK_SUMMARY_THRESHOLD=5` (with
 * `COUNTERSIGN_SLACK_SUMMARY_WINDOW_SECONDS`, default 60) sums up a burst of more than 5 pauses of
 * one action type for one Slack target in one summary message with "Approve all".
 * Teams: `COUNTERSIGN_TEAMS_*` (see `teamsChannelFromEnv`), mounted at /teams/messages.
 * Each channel's package is loaded only when it is configured (Slack's and Teams's SDKs are
 * about 20 MB of a server's memory otherwise unused).
 */
export async function channelsFromEnv(
  store: Store,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChannelPlugin[]> {
  const channels: ChannelPlugin[] = [];
  const botToken = env.COUNTERSIGN_SLACK_BOT_TOKEN;
  if (botToken) {
    const { slackChannel } = await import("@countersign/slack");
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
        ...slackSummaryFromEnv(env),
        allowedChannels: (env.COUNTERSIGN_SLACK_CHANNELS ?? "")
          .split(",")
          .map((channel) => channel.trim())
          .filter((channel) => channel !== ""),
      }),
    );
  }
  const teams = await teamsChannelFromEnv(store, env);
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

/** `summary` from `COUNTERSIGN_SLACK_SUMMARY_THRESHOLD` and `…_WINDOW_SECONDS`; nothing when unset. */
function slackSummaryFromEnv(env: NodeJS.ProcessEnv): { summary?: SlackSummaryOptions } {
  const threshold = env.COUNTERSIGN_SLACK_SUMMARY_THRESHOLD?.trim();
  const windowSeconds = env.COUNTERSIGN_SLACK_SUMMARY_WINDOW_SECONDS?.trim();
  if (!threshold) {
    if (windowSeconds) {
      throw new CountersignError(
        "invalid_request",
        "COUNTERSIGN_SLACK_SUMMARY_WINDOW_SECONDS needs COUNTERSIGN_SLACK_SUMMARY_THRESHOLD",
      );
    }
    return {};
  }
  const whole = (name: string, value: string) => {
    if (!/^\d+$/.test(value)) throw new CountersignError("invalid_request", `${name} must be a whole number`);
    return Number(value);
  };
  return {
    summary: {
      threshold: whole("COUNTERSIGN_SLACK_SUMMARY_THRESHOLD", threshold),
      ...(windowSeconds && {
        windowSeconds: whole("COUNTERSIGN_SLACK_SUMMARY_WINDOW_SECONDS", windowSeconds),
      }),
    },
  };
}

function isOn(value: string | undefined): boolean {
  return value === "1" || value === "true";
}
