import { CountersignError, type Pause, type Recipient } from "@countersign/core";
import type { ApprovalService, ChannelPlugin, ChannelRoute } from "@countersign/core/server";
import type { CloudEnvironment, InstallUpdateActivity } from "@microsoft/teams.api";
import type { App } from "@microsoft/teams.apps";
import { type CardActionResponse, createActionHandler } from "./action-handler.ts";
import type { TeamsApproverDirectory } from "./approver-directory.ts";
import { baseConversationId, createBotConnector } from "./bot-connector.ts";
import { renderCard } from "./card/adaptive-card.ts";
import { type GovernanceSource, readGovernance } from "./card/card-governance.ts";
import { createCardTracker, type RenderedCard } from "./card-tracker.ts";
import { certificateThumbprint, type TeamsCertificate } from "./certificate-credential.ts";
import { type ConversationTargets, checkConversationTargets } from "./conversation-targets.ts";
import { describeError } from "./describe-error.ts";
import { createMessagingEndpoint } from "./messaging-endpoint.ts";
import { cardsFromAudit, notifiedEventData } from "./notified-event.ts";
import { createRedactor } from "./redact.ts";
import { createTeamsApp } from "./teams-app.ts";

/** The Bot Connector of the public cloud, for targets that do not name their region's. */
export const DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams/";

export interface TeamsChannelOptions {
  /** Microsoft App ID of the Azure Bot: the Entra app registration's application (client) id. */
  appId: string;
  /** A client secret of the app registration. Give this or `certificate`. */
  appPassword?: string;
  /** A certificate of the app registration, with its private key. Give this or `appPassword`. */
  certificate?: TeamsCertificate;
  /** The Entra tenant (directory) id the bot is registered in; clicks from other tenants decide nothing. */
  tenantId: string;
  /** The conversations cards may go to, by name: recipients name one of these as `target`. */
  targets: ConversationTargets;
  /** Entra object id → Countersign identity (or a function). Only mapped users may decide. */
  approvers: TeamsApproverDirectory;
  /** Also look up each clicker's UPN and e-mail in the roster and hand them to `approvers`. Default false. */
  matchEmail?: boolean;
  /** Link for "Open in inbox"; defaults to the pause's own `links.inbox`. Return null for no button. */
  inboxUrl?: string | null | ((pause: Pause) => string | null);
  /** Rule, quorum progress and escalation of a pause, from the server's policy. */
  governance?: GovernanceSource;
  /** Where the messaging endpoint mounts; default `/teams/messages`. */
  messagingPath?: string;
  /** Bot Connector URL for targets without their own; default the public cloud's. */
  serviceUrl?: string;
  /** Sovereign clouds (and tests): login, token issuer and OpenID metadata endpoints. Default the public cloud. */
  cloud?: Partial<CloudEnvironment>;
  /** Timeout of each Bot Connector call; default 15 s. */
  outboundTimeoutMs?: number;
  /** Where failures in the background go (secrets already redacted); default `console.error`. */
  logError?: (message: string, details: Record<string, unknown>) => void;
  /** Where installations are reported (with the conversation to configure as a target); default `console.log`. */
  logInfo?: (message: string, details: Record<string, unknown>) => void;
  now?: () => Date;
}

/** The Countersign channel plugin for Microsoft Teams, plus what the server and tests need. */
export interface TeamsChannel extends ChannelPlugin {
  channel: "teams";
  /** The target names recipients may use (admin-configured), for the server's recipient check. */
  allowedTargets(): string[];
  /** The Teams SDK app, created and initialized on first use (its API client posts and updates the cards). */
  app(): Promise<App>;
  /** Resolves once every follow-up (card updates after a click) has finished. */
  whenIdle(): Promise<void>;
}

/**
 * Teams approvals: posts an Adaptive Card for each pause routed to an
 * allowed Teams conversation, lets mapped approvers decide with Universal
 * Actions, and keeps every card in step with the pause however it is decided.
 * Card locations are kept in memory and, for a restarted server, recovered
 * from the `pause.notified` audit events.
 */
export function teamsChannel(options: TeamsChannelOptions): TeamsChannel {
  checkCredentials(options);
  const targets = checkConversationTargets(options.targets);
  const now = options.now ?? (() => new Date());
  const redact = createRedactor(
    [options.appPassword, options.certificate?.privateKey].filter((secret) => secret !== undefined),
  );
  const sink =
    options.logError ?? ((message, details) => console.error(`[countersign/teams] ${message}`, details));
  const logError = (message: string, details: Record<string, unknown>) =>
    sink(redact(message), JSON.parse(redact(JSON.stringify(details))) as Record<string, unknown>);
  const messagingPath = options.messagingPath ?? "/teams/messages";
  const defaultServiceUrl = options.serviceUrl ?? DEFAULT_SERVICE_URL;
  const teamsApp = createTeamsApp({
    appId: options.appId,
    ...(options.appPassword && { appPassword: options.appPassword }),
    ...(options.certificate && { certificate: options.certificate }),
    tenantId: options.tenantId,
    messagingPath,
    serviceUrl: defaultServiceUrl,
    ...(options.cloud && { cloud: options.cloud }),
    outboundTimeoutMs: options.outboundTimeoutMs ?? 15_000,
    logError,
    redact,
    configure: (app) => {
      app.on("card.action", ({ activity }) => answerCardAction(activity));
      app.on("install.add", ({ activity }) => reportInstallation(activity));
    },
  });
  const app = async () => (await teamsApp.load()).app;
  const connector = createBotConnector(app);
  let service: ApprovalService | null = null;
  let unsubscribe: (() => void) | null = null;
  const inFlight = new Set<Promise<void>>();

  function track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      logError("teams work failed", { error: describeError(error) }),
    );
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
      throw new CountersignError("internal_error", "The Teams channel is not attached to a server yet");
    return service;
  }

  const governanceOf = (pause: Pause) => readGovernance(pause, options.governance);

  async function render(pause: Pause): Promise<RenderedCard> {
    const governance = await governanceOf(pause);
    const message = renderCard(pause, { now: now(), governance, inboxUrl: inboxUrlFor(pause) });
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

  const cards = createCardTracker({ connector, render });
  const actions = createActionHandler({
    service: requireService,
    approvers: options.approvers,
    matchEmail: options.matchEmail ?? false,
    tenantId: options.tenantId,
    connector,
    cards,
    render,
    governance: governanceOf,
    track,
    logError,
  });
  async function answerCardAction(activity: unknown): Promise<CardActionResponse> {
    try {
      return await actions.handle(activity);
    } catch (error) {
      logError("teams card action failed", { error: describeError(error) });
      return {
        statusCode: 200,
        type: "application/vnd.microsoft.activity.message",
        value:
          "Something went wrong in Countersign's Teams app. Check the request in the inbox before acting again.",
      };
    }
  }
  const logInfo =
    options.logInfo ?? ((message, details) => console.log(`[countersign/teams] ${message}`, details));
  /**
   * Someone added the app to a team, chat or their personal scope: say where, so an admin can
   * add the conversation to the targets (conversation ids cannot be looked up otherwise).
   */
  async function reportInstallation(activity: InstallUpdateActivity): Promise<void> {
    logInfo("Countersign was added to a Teams conversation", {
      conversation_id: baseConversationId(activity.conversation.id),
      conversation_type: activity.conversation.conversationType ?? null,
      service_url: activity.serviceUrl,
      tenant_id: activity.conversation.tenantId ?? null,
    });
  }
  const endpoint = createMessagingEndpoint({
    handler: async () => (await teamsApp.load()).handler,
    tokenIssuer: teamsApp.tokenIssuer,
  });

  async function notify(pause: Pause, recipients: Recipient[], current: ApprovalService): Promise<void> {
    attach(current);
    const posted = new Set(cards.cards(pause.pause_id).map((card) => card.target));
    const wanted = [...new Set(recipients.filter((r) => r.channel === "teams").map((r) => r.target))];
    const failures: string[] = [];
    const { message, fingerprint } = await render(pause);
    for (const name of wanted.filter((target) => !posted.has(target))) {
      // Only admin-configured conversations: an agent cannot send a card anywhere the app is installed.
      const target = Object.hasOwn(targets, name) ? targets[name] : undefined;
      if (!target) {
        failures.push(`${name}: not a configured Teams target`);
        continue;
      }
      const serviceUrl = target.serviceUrl ?? defaultServiceUrl;
      try {
        const activityId = await connector.postCard(
          { conversationId: target.conversationId, serviceUrl },
          message,
        );
        const card = {
          conversationId: baseConversationId(target.conversationId),
          activityId,
          serviceUrl,
          target: name,
        };
        cards.remember(pause.pause_id, card, fingerprint);
        await current.recordEvent(
          pause.pause_id,
          "pause.notified",
          { kind: "system", id: "teams" },
          notifiedEventData(card),
        );
      } catch (error) {
        failures.push(`${name}: ${describeError(error)}`);
      }
    }
    // Re-notified (escalation): cards already out show the new routing.
    if (posted.size > 0) await cards.refresh(pause);
    // Decided while we were posting: `settled` may have run before the card existed.
    const latest = await current.getPause(pause.pause_id);
    if (latest && latest.status !== "pending") await cards.refresh(latest);
    if (failures.length > 0) {
      throw new CountersignError(
        "internal_error",
        redact(`Teams: could not post the card to ${failures.join("; ")}`),
        { pauseId: pause.pause_id },
      );
    }
  }

  return {
    channel: "teams",
    allowedTargets: () => Object.keys(targets),
    app,
    notify,
    async settled(pause, current) {
      attach(current);
      // After a restart the cards are not in memory; where they were posted is in the audit log.
      if (cards.cards(pause.pause_id).length === 0) {
        for (const card of await cardsFromAudit(current, pause.pause_id))
          cards.remember(pause.pause_id, card);
      }
      await cards.refresh(pause);
    },
    routes(current): ChannelRoute[] {
      attach(current);
      return [
        {
          method: "POST",
          path: messagingPath,
          handler: endpoint,
          summary: "Microsoft Teams messaging endpoint",
          description:
            "Bot Framework activities: Adaptive Card Universal Actions (approve, reject) and conversation updates.",
          credential: "Bot Framework JWT (Authorization: Bearer) issued for this app id and tenant",
          requestContentType: "application/json",
        },
      ];
    },
    async start(current) {
      attach(current);
      // Loads and initializes the SDK app now, so a misconfiguration shows at start, not on the first click.
      await teamsApp.load();
    },
    async stop() {
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

function checkCredentials(options: TeamsChannelOptions): void {
  if (!options.appId?.trim()) throw new CountersignError("invalid_request", "teamsChannel needs an appId");
  if (!options.tenantId?.trim()) {
    throw new CountersignError("invalid_request", "teamsChannel needs the tenantId the bot is registered in");
  }
  if (!options.appPassword === !options.certificate) {
    throw new CountersignError(
      "invalid_request",
      "teamsChannel needs exactly one of appPassword or certificate",
    );
  }
  // A malformed certificate fails here, at configuration, not on the first card.
  if (options.certificate) certificateThumbprint(options.certificate);
}

/**
 * The last approval is written to the pause just before the pause settles:
 * skipping that pending state spares the card a flash of "2 of 2" with buttons.
 */
function quorumAboutToSettle(pause: Pause): boolean {
  const routing = pause.routing;
  return pause.status === "pending" && !!routing && routing.approvals.length >= routing.approvals_required;
}
