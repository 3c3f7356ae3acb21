import { isCountersignError, type Pause } from "@countersign/core";
import type { ApprovalService } from "@countersign/core/server";
import type { AdaptiveCardActionCardResponse, AdaptiveCardActionMessageResponse } from "@microsoft/teams.api";
import type { IAdaptiveCard } from "@microsoft/teams.cards";
import { APPROVE_VERB, REJECT_VERB } from "./action-verbs.ts";
import { resolveTeamsApprover, type TeamsApproverDirectory, type TeamsUser } from "./approver-directory.ts";
import { type BotConnector, baseConversationId } from "./bot-connector.ts";
import type { CardGovernance } from "./card/card-governance.ts";
import { safeText } from "./card/card-text.ts";
import { alreadyDecidedText } from "./card/outcome-text.ts";
import type { CardTracker, RenderedCard } from "./card-tracker.ts";
import { describeError } from "./describe-error.ts";
import { type CardActionActivity, CardActionActivitySchema } from "./invoke-value.ts";

/** The body of the invoke response: a card that replaces the clicker's view, or a message shown to them only. */
export type CardActionResponse = AdaptiveCardActionCardResponse | AdaptiveCardActionMessageResponse;

export interface ActionDependencies {
  service: () => ApprovalService;
  approvers: TeamsApproverDirectory;
  /** Look up the clicker's UPN and e-mail in the roster for the directory (off by default). */
  matchEmail: boolean;
  /** The Microsoft Entra tenant the app serves; clicks from another tenant decide nothing. */
  tenantId: string;
  connector: BotConnector;
  cards: CardTracker;
  render: (pause: Pause) => Promise<RenderedCard>;
  governance: (pause: Pause) => Promise<CardGovernance>;
  /** Runs work after the reply (updating the other cards). */
  track: (work: Promise<void>) => void;
  logError: (message: string, details: Record<string, unknown>) => void;
}

export const NOT_AN_APPROVER_TEXT =
  "You are not mapped to a Countersign approver, so this click changed nothing. Ask your Countersign admin to add your Teams account.";
export const REASON_REQUIRED_TEXT =
  "A reason is required to reject. Open Reject…, write why, and press Reject again. Nothing changed.";
export const OTHER_TENANT_TEXT =
  "This Countersign app serves another Microsoft 365 organization, so this click changed nothing.";
export const UNKNOWN_ACTION_TEXT = "Countersign does not know this button, so nothing changed.";
export const MALFORMED_ACTION_TEXT = "Countersign could not read this click, so nothing changed.";
export const DECISION_FAILED_TEXT =
  "Countersign could not record your decision, so nothing was decided. Try again, or decide in the inbox.";

/**
 * Answers Approve and Reject clicks (`adaptiveCard/action` invokes). Every
 * decision goes through `service.decide`, which enforces routing, quorum and
 * "nobody decides their own request"; whatever it refuses changes nothing
 * and is explained to the clicker alone.
 */
export function createActionHandler(dependencies: ActionDependencies) {
  async function handle(body: unknown): Promise<CardActionResponse> {
    const parsed = CardActionActivitySchema.safeParse(body);
    if (!parsed.success) {
      const verb = (body as { value?: { action?: { verb?: unknown } } } | null)?.value?.action?.verb;
      if (typeof verb === "string" && verb !== APPROVE_VERB && verb !== REJECT_VERB)
        return message(UNKNOWN_ACTION_TEXT);
      return message(MALFORMED_ACTION_TEXT);
    }
    const activity = parsed.data;
    const { verb, data } = activity.value.action;
    if (verb !== APPROVE_VERB && verb !== REJECT_VERB) return message(UNKNOWN_ACTION_TEXT);
    const tenant = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
    if (tenant?.toLowerCase() !== dependencies.tenantId.toLowerCase()) return message(OTHER_TENANT_TEXT);

    const identity = await resolveTeamsApprover(dependencies.approvers, await teamsUser(activity));
    if (!identity) return message(NOT_AN_APPROVER_TEXT);
    const pauseId = data.pause_id;
    if (activity.replyToId) {
      // The click names its card, so a card posted before a restart is still kept up to date.
      dependencies.cards.remember(pauseId, {
        conversationId: baseConversationId(activity.conversation.id),
        activityId: activity.replyToId,
        serviceUrl: activity.serviceUrl,
        target: null,
      });
    }
    if (verb === REJECT_VERB) {
      const reason = data.reason?.trim();
      if (!reason) return message(REASON_REQUIRED_TEXT);
      return decide(pauseId, () =>
        dependencies
          .service()
          .decide(pauseId, { decision: "reject", reason }, { identity, channel: "teams" }),
      );
    }
    return decide(pauseId, () =>
      dependencies.service().decide(pauseId, { decision: "approve" }, { identity, channel: "teams" }),
    );
  }

  async function teamsUser(activity: CardActionActivity): Promise<TeamsUser> {
    const user: TeamsUser = {
      id: activity.from.id,
      aadObjectId: activity.from.aadObjectId?.toLowerCase() ?? null,
    };
    if (!dependencies.matchEmail) return user;
    try {
      return {
        ...user,
        ...(await dependencies.connector.member(
          activity.serviceUrl,
          baseConversationId(activity.conversation.id),
          activity.from.id,
        )),
      };
    } catch (error) {
      // Without the roster the directory still sees the object id; the e-mail match just cannot help.
      dependencies.logError("teams roster lookup failed", { error: describeError(error) });
      return user;
    }
  }

  /** Decides, or tells the clicker why nothing was decided (late click, not allowed, gone). */
  async function decide(pauseId: string, run: () => Promise<Pause>): Promise<CardActionResponse> {
    let pause: Pause;
    try {
      pause = await run();
    } catch (error) {
      return explain(pauseId, error);
    }
    dependencies.track(dependencies.cards.refresh(pause));
    if (pause.status === "pending") {
      // A quorum needs more approvers: the cards show the progress, the clicker gets a receipt.
      const { approvalsRequired, approvedBy } = await dependencies.governance(pause);
      const progress =
        approvalsRequired && approvedBy ? ` (${approvedBy.length} of ${approvalsRequired} approvals)` : "";
      return message(`Your approval is recorded${progress}. It still needs more approvals.`);
    }
    return { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: await cardOf(pause) };
  }

  async function explain(pauseId: string, error: unknown): Promise<CardActionResponse> {
    if (isCountersignError(error, "already_approved")) {
      // A quorum vote this person already cast: the pause is still pending, the server says why.
      return message(`${safeText(error.message, 300)}. Nothing changed.`);
    }
    if (isCountersignError(error, "already_decided")) {
      const current = await dependencies.service().getPause(pauseId);
      if (current) {
        dependencies.track(dependencies.cards.refresh(current));
        return message(alreadyDecidedText(current));
      }
    }
    if (isCountersignError(error, "forbidden")) {
      return message(`You may not decide this request: ${safeText(error.message, 300)}. Nothing changed.`);
    }
    if (isCountersignError(error, "not_found")) {
      return message("This request no longer exists in Countersign. Nothing changed.");
    }
    // Fail closed: a store or server failure decides nothing, and the approver is told so.
    dependencies.logError("teams decision failed", { pause_id: pauseId, error: describeError(error) });
    return message(DECISION_FAILED_TEXT);
  }

  async function cardOf(pause: Pause): Promise<IAdaptiveCard> {
    return (await dependencies.render(pause)).message.card;
  }

  return { handle };
}

export type ActionHandler = ReturnType<typeof createActionHandler>;

function message(text: string): CardActionResponse {
  return { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: text };
}
