import { CountersignError, type Pause, type Recipient } from "@countersign/core";
import type { ApprovalService, ChannelPlugin, ChannelRoute } from "@countersign/core/server";
import { type LogLevel, webApi } from "@slack/bolt";
import { type ApproverDirectory, resolveApprover } from "./approver-directory.ts";
import { approvableInSlack, renderCard } from "./card-blocks.ts";
import { type GovernanceSource, readGovernance } from "./card-governance.ts";
import { createCardTracker, type RenderedCard } from "./card-tracker.ts";
import { createEmailMatcher, type EmailMatchingOptions } from "./email-matching.ts";
import { createInteractionHandler } from "./interaction-handler.ts";
import { createSlackHttpHandler } from "./slack-http-handler.ts";
import { type SocketModeConnection, startSocketMode } from "./slack-socket-mode.ts";
import { createSummaryTracker } from "./summary-tracker.ts";
import { checkSummaryOptions, type SummaryOptions } from "./summary-window.ts";

/** What Slack's HTTP routes check before anything else. */
const SLACK_SIGNATURE =
  "Slack request signature (X-Slack-Signature, X-Slack-Request-Timestamp) with the signing secret";

export interface SlackChannelOptions {
  /** Bot token (`xoxb-…`) for posting and updating cards and opening the modal. */
  botToken: string;
  /** Signing secret: required for HTTP mode (the Request URLs on the Countersign server). */
  signingSecret?: string;
  /** App-level token (`xapp-…`, scope `connections:write`): required for Socket Mode. */
  appToken?: string;
  /** Connect over Socket Mode instead of (or as well as) receiving HTTP requests. */
  socketMode?: boolean;
  /** Slack user id → Countersign identity. Only mapped users may decide. */
  approvers: ApproverDirectory;
  /**
   * Off by default. When set, a clicker the directory does not map is
   * matched to one of these existing identities through
   * `users.lookupByEmail` (scope `users:read.email`): only a full member
   * whose address Slack confirmed, and only the member Slack holds that
   * exact address for.
   */
  emailMatching?: EmailMatchingOptions;
  /**
   * When a card cannot show the whole request (Slack's size limits), offer
   * no Approve button: approvers read it in the inbox first. Default false
   * (the card says what is hidden and puts "Open in inbox" first).
   */
  requireInboxWhenTruncated?: boolean;
  /**
   * Channels (`#name` or id) agents may name as recipients. Channels the
   * policy file names are allowed anyway; a member id mapped to an approver
   * is allowed as a DM. Any other Slack target an agent names is dropped.
   */
  allowedChannels?: string[];
  /**
   * Off by default. `{ threshold: 5, windowSeconds: 60 }`: when more than 5
   * pauses of one action type reach one Slack target within 60 seconds, the
   * first 5 get cards and the rest of the burst is collected in one summary
   * message ("12 refund requests from 3 agents, $1,840 in total") with
   * "Approve all 12" and "Review individually". See docs/slack.md.
   */
  summary?: SummaryOptions;
  /** Link for "Open in inbox"; defaults to the pause's own `links.inbox`. Return null for no button. */
  inboxUrl?: string | null | ((pause: Pause) => string | null);
  /** Rule, quorum progress and escalation of a pause, from the server's policy. */
  governance?: GovernanceSource;
  /** Where the HTTP routes mount; default `/slack` (`/slack/events`, `/slack/interactions`). */
  pathPrefix?: string;
  /** Passed to Slack's WebClient (e.g. `retryConfig`, `slackApiUrl`). */
  clientOptions?: webApi.WebClientOptions;
  logLevel?: LogLevel;
  /** Where failures in the background go; default `console.error`. */
  logError?: (message: string, details: Record<string, unknown>) => void;
  now?: () => Date;
}

/** The Countersign channel plugin for Slack, plus what tests and operators need. */
export interface SlackChannel extends ChannelPlugin {
  channel: "slack";
  /** The Web API client the plugin posts with. */
  client: webApi.WebClient;
  /** Resolves once every acknowledged interaction has finished its follow-up work. */
  whenIdle(): Promise<void>;
}

/**
 * Slack approvals: posts a card for each pause routed to Slack, lets mapped
 * approvers decide from it, and keeps every card in step with the pause
 * however it is decided. Card locations are kept in memory and, for a
 * restarted server, recovered from the `pause.notified` audit events.
 */
export function slackChannel(options: SlackChannelOptions): SlackChannel {
  if (!options.botToken) throw new CountersignError("invalid_request", "slackChannel needs a botToken");
  if (options.socketMode && !options.appToken) {
    throw new CountersignError("invalid_request", "Socket Mode needs an app-level token (appToken, xapp-…)");
  }
  if (!options.socketMode && !options.signingSecret) {
    throw new CountersignError(
      "invalid_request",
      "HTTP mode needs the app's signingSecret (or use socketMode)",
    );
  }
  const summaryOptions = options.summary ? checkSummaryOptions(options.summary) : null;
  const now = options.now ?? (() => new Date());
  const logError =
    options.logError ?? ((message, details) => console.error(`[countersign/slack] ${message}`, details));
  const client = new webApi.WebClient(options.botToken, options.clientOptions);
  let service: ApprovalService | null = null;
  let unsubscribe: (() => void) | null = null;
  let socket: SocketModeConnection | null = null;
  const inFlight = new Set<Promise<void>>();

  function track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => logError("slack work failed", { error: String(error) }));
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  }

  function attach(current: ApprovalService): ApprovalService {
    if (service === current) return current;
    unsubscribe?.();
    service = current;
    // Quorum progress and escalation change a pending pause: keep its cards current.
    unsubscribe = current.onPauseChanged((pause) => {
      if (cards.cards(pause.pause_id).length === 0 || quorumAboutToSettle(pause)) return;
      track(cards.refresh(pause));
    });
    return current;
  }

  function requireService(): ApprovalService {
    if (!service)
      throw new CountersignError("internal_error", "The Slack channel is not attached to a server yet");
    return service;
  }

  const governanceOf = (pause: Pause) => readGovernance(pause, options.governance);

  async function render(pause: Pause): Promise<RenderedCard> {
    const governance = await governanceOf(pause);
    const message = renderCard(pause, {
      now: now(),
      governance,
      inboxUrl: inboxUrlFor(pause),
      requireInboxWhenTruncated: options.requireInboxWhenTruncated ?? false,
    });
    const fingerprint = JSON.stringify([pause.status, pause.decision, pause.expires_at, governance]);
    return { message, fingerprint };
  }

  function inboxUrlFor(pause: Pause): string | null {
    const configured = typeof options.inboxUrl === "function" ? options.inboxUrl(pause) : options.inboxUrl;
    const url = configured === undefined ? pause.links.inbox : configured;
    if (!url) return null;
    try {
      const parsed = new URL(url, service?.baseUrl);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
    } catch {
      return null;
    }
  }

  const cards = createCardTracker({ client, render });
  const matchByEmail = options.emailMatching
    ? createEmailMatcher(client, options.emailMatching, now, logError)
    : null;
  const approvers: ApproverDirectory = matchByEmail
    ? async (slackUserId) =>
        (await resolveApprover(options.approvers, slackUserId)) ?? matchByEmail(slackUserId)
    : options.approvers;
  const approvableHere = async (pause: Pause) =>
    approvableInSlack((await render(pause)).message, {
      requireInboxWhenTruncated: options.requireInboxWhenTruncated ?? false,
    });
  const summaries = summaryOptions
    ? createSummaryTracker({
        options: summaryOptions,
        client,
        service: requireService,
        now,
        approvableInSlack: approvableHere,
        postCard: async (pause, target, thread) => {
          const { message, fingerprint } = await render(pause);
          await postCard(pause, target, message, fingerprint, requireService(), thread);
        },
      })
    : null;
  const interactions = createInteractionHandler({
    service: requireService,
    client,
    approvers,
    approvableInSlack: approvableHere,
    summaries,
    cards,
    governance: governanceOf,
    logError,
  });

  async function notify(pause: Pause, recipients: Recipient[], current: ApprovalService): Promise<void> {
    attach(current);
    const posted = new Set(cards.cards(pause.pause_id).map((card) => card.target));
    const targets = [...new Set(recipients.filter((r) => r.channel === "slack").map((r) => r.target))].filter(
      (target) => !posted.has(target) && !summaries?.collected(pause.pause_id, target),
    );
    const { message, fingerprint } = await render(pause);
    const failures: string[] = [];
    for (const target of targets) {
      try {
        const route = summaries
          ? await summaries.route(pause, target)
          : { kind: "card" as const, thread: null };
        if (route.kind === "card") await postCard(pause, target, message, fingerprint, current, route.thread);
      } catch (error) {
        failures.push(`${target}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Re-notified (escalation): cards already out show the new routing.
    if (posted.size > 0) await cards.refresh(pause);
    // Decided while we were posting: `settled` may have run before the card existed.
    const latest = await current.getPause(pause.pause_id);
    if (latest && latest.status !== "pending") {
      await cards.refresh(latest);
      await summaries?.refresh(latest);
    }
    if (failures.length > 0) {
      throw new CountersignError(
        "internal_error",
        `Slack: could not post the card to ${failures.join("; ")}`,
        {
          pauseId: pause.pause_id,
        },
      );
    }
  }

  /** Posts one pause's card (in a summary's thread when given) and records where it went. */
  async function postCard(
    pause: Pause,
    target: string,
    message: RenderedCard["message"],
    fingerprint: string,
    current: ApprovalService,
    thread: { channel: string; ts: string } | null,
  ): Promise<void> {
    const result = await client.chat.postMessage({
      channel: thread?.channel ?? target,
      ...(thread && { thread_ts: thread.ts }),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!result.channel || !result.ts) throw new Error("chat.postMessage returned no channel or ts");
    cards.remember(pause.pause_id, { channel: result.channel, ts: result.ts, target }, fingerprint);
    await current.recordEvent(
      pause.pause_id,
      "pause.notified",
      { kind: "system", id: "slack" },
      { channel: "slack", target, slack_channel: result.channel, ts: result.ts },
    );
  }

  const handler = options.signingSecret
    ? createSlackHttpHandler({ signingSecret: options.signingSecret, interactions, track })
    : null;
  const prefix = (options.pathPrefix ?? "/slack").replace(/\/+$/, "");

  return {
    channel: "slack",
    client,
    allowedTargets: () => options.allowedChannels ?? [],
    notify,
    async settled(pause, current) {
      attach(current);
      // After a restart the cards are not in memory; where they were posted is in the audit log.
      if (cards.cards(pause.pause_id).length === 0) {
        for (const event of await current.listEvents(pause.pause_id, "pause.notified")) {
          const { channel, target, slack_channel: slackChannel, ts } = event.data;
          if (channel === "slack" && typeof slackChannel === "string" && typeof ts === "string") {
            cards.remember(pause.pause_id, { channel: slackChannel, ts, target: String(target) });
          }
        }
      }
      await Promise.all([cards.refresh(pause), summaries?.refresh(pause)]);
    },
    routes(current): ChannelRoute[] {
      attach(current);
      if (!handler) return [];
      return [
        {
          method: "POST",
          path: `${prefix}/events`,
          handler,
          summary: "Slack Events API",
          description: "Slack's event callbacks (and its URL verification challenge).",
          credential: SLACK_SIGNATURE,
          requestContentType: "application/json",
        },
        {
          method: "POST",
          path: `${prefix}/interactions`,
          handler,
          summary: "Slack interactivity",
          description: "Button presses on approval cards and the reason modal's submissions.",
          credential: SLACK_SIGNATURE,
          requestContentType: "application/x-www-form-urlencoded",
        },
      ];
    },
    async start(current) {
      attach(current);
      if (!options.socketMode || !options.appToken || socket) return;
      socket = await startSocketMode({
        appToken: options.appToken,
        botToken: options.botToken,
        interactions,
        track,
        logError,
        ...(options.clientOptions && { clientOptions: options.clientOptions }),
        ...(options.logLevel && { logLevel: options.logLevel }),
      });
    },
    async stop() {
      await socket?.stop();
      socket = null;
      await this.whenIdle();
      unsubscribe?.();
      unsubscribe = null;
      service = null;
    },
    async whenIdle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

/**
 * The last approval is written to the pause just before the pause settles:
 * skipping that pending state spares the card a flash of "2 of 2" with buttons.
 */
function quorumAboutToSettle(pause: Pause): boolean {
  const routing = pause.routing;
  return pause.status === "pending" && !!routing && routing.approvals.length >= routing.approvals_required;
}
