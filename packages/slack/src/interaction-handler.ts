import { isCountersignError, type Pause } from "@countersign/core";
import type { ApprovalService } from "@countersign/core/server";
import type { webApi } from "@slack/bolt";
import { type ApproverDirectory, resolveApprover } from "./approver-directory.ts";
import type { CardGovernance } from "./card-governance.ts";
import type { CardTracker } from "./card-tracker.ts";
import { escapeMrkdwn } from "./escape-mrkdwn.ts";
import {
  APPROVE_ACTION_ID,
  REASON_PRESET_ACTION_ID,
  REASON_PRESET_BLOCK_ID,
  REASON_TEXT_ACTION_ID,
  REASON_TEXT_BLOCK_ID,
  REJECT_ACTION_ID,
  REJECT_MODAL_CALLBACK_ID,
  SUMMARY_APPROVE_ALL_ACTION_ID,
  SUMMARY_REVIEW_ACTION_ID,
} from "./interaction-ids.ts";
import {
  type BlockActionsPayload,
  ModalMetadataSchema,
  parseInteractionPayload,
  type ViewSubmissionPayload,
} from "./interaction-payload.ts";
import { alreadyDecidedText } from "./outcome-text.ts";
import { buildReasonModal, reasonFromValues } from "./reason-modal.ts";
import { replyThroughResponseUrl } from "./response-url.ts";
import { SUMMARY_GONE_TEXT, type SummaryTracker } from "./summary-tracker.ts";

/**
 * What to answer Slack at once (within its 3 seconds), and the work that
 * follows the acknowledgement (deciding, updating the card, replying).
 * `work` never rejects: failures are logged and told to the clicker.
 */
export interface InteractionOutcome {
  /** JSON body of the acknowledgement; null for an empty 200. */
  response: Record<string, unknown> | null;
  work: Promise<void> | null;
}

export interface InteractionDependencies {
  service: () => ApprovalService;
  client: webApi.WebClient;
  approvers: ApproverDirectory;
  cards: CardTracker;
  governance: (pause: Pause) => Promise<CardGovernance>;
  /** False when the card hides part of the request and the admin requires the inbox for such cards. */
  approvableInSlack: (pause: Pause) => Promise<boolean>;
  /** Summaries of bursts of pauses; null when the option is off. */
  summaries: Pick<SummaryTracker, "approveAll" | "reviewIndividually"> | null;
  logError: (message: string, details: Record<string, unknown>) => void;
}

interface Location {
  channel: string | null;
  ts: string | null;
  /** The click's `response_url`: replies go there first. */
  responseUrl: string | null;
}

export const INBOX_REQUIRED_TEXT =
  "This card does not show the whole request, so approving is off in Slack. Open it in the inbox, read it all and approve there. Nothing changed.";

export const NOT_AN_APPROVER_TEXT =
  "You are not mapped to a Countersign approver, so this click changed nothing. Ask your Countersign admin to add your Slack account.";

/** One handler for HTTP and Socket Mode: both hand over the parsed interaction payload. */
export function createInteractionHandler(dependencies: InteractionDependencies) {
  const { client } = dependencies;

  function handle(body: unknown): InteractionOutcome {
    const interaction = parseInteractionPayload(body);
    if (interaction.kind === "block_actions") return onBlockActions(interaction.payload);
    if (interaction.kind === "view_submission") return onViewSubmission(interaction.payload);
    return { response: null, work: null };
  }

  function onBlockActions(payload: BlockActionsPayload): InteractionOutcome {
    const action = payload.actions[0];
    if (
      action?.value &&
      (action.action_id === SUMMARY_APPROVE_ALL_ACTION_ID || action.action_id === SUMMARY_REVIEW_ACTION_ID)
    ) {
      return onSummaryAction(payload, action.action_id, action.value);
    }
    const pauseId = action?.value;
    if (
      !action ||
      !pauseId ||
      (action.action_id !== APPROVE_ACTION_ID && action.action_id !== REJECT_ACTION_ID)
    ) {
      // "Open in inbox" and foreign buttons: Slack only needs the acknowledgement.
      return { response: null, work: null };
    }
    const location: Location = {
      channel: payload.container?.channel_id ?? payload.channel?.id ?? null,
      ts: payload.container?.message_ts ?? payload.message?.ts ?? null,
      responseUrl: payload.response_url ?? null,
    };
    const work =
      action.action_id === APPROVE_ACTION_ID
        ? approve(pauseId, payload.user.id, location)
        : openReasonModal(pauseId, payload.user.id, location, payload.trigger_id ?? null);
    return { response: null, work: guarded(work, pauseId, payload.user.id, location) };
  }

  /** "Approve all" or "Review individually" on a summary; the value is the summary's id. */
  function onSummaryAction(
    payload: BlockActionsPayload,
    actionId: string,
    summaryId: string,
  ): InteractionOutcome {
    const location: Location = {
      channel: payload.container?.channel_id ?? payload.channel?.id ?? null,
      ts: payload.container?.message_ts ?? payload.message?.ts ?? null,
      responseUrl: payload.response_url ?? null,
    };
    const slackUserId = payload.user.id;
    const work = (async () => {
      const identity = await approverOrExplain(slackUserId, location);
      if (!identity) return;
      const summaries = dependencies.summaries;
      const reply = !summaries
        ? SUMMARY_GONE_TEXT
        : actionId === SUMMARY_APPROVE_ALL_ACTION_ID
          ? await summaries.approveAll(summaryId, identity, location)
          : await summaries.reviewIndividually(summaryId, identity, location);
      if (reply) await ephemeral(location, slackUserId, reply);
    })();
    return { response: null, work: guarded(work, summaryId, slackUserId, location) };
  }

  function onViewSubmission(payload: ViewSubmissionPayload): InteractionOutcome {
    if (payload.view.callback_id !== REJECT_MODAL_CALLBACK_ID) return { response: null, work: null };
    const metadata = ModalMetadataSchema.parse(JSON.parse(payload.view.private_metadata ?? "null"));
    const values = payload.view.state.values;
    const result = reasonFromValues({
      presetValue: values[REASON_PRESET_BLOCK_ID]?.[REASON_PRESET_ACTION_ID]?.selected_option?.value ?? null,
      explanation: values[REASON_TEXT_BLOCK_ID]?.[REASON_TEXT_ACTION_ID]?.value ?? null,
    });
    if (!result.ok) return { response: { response_action: "errors", errors: result.errors }, work: null };
    const location = {
      channel: metadata.channel,
      ts: metadata.ts,
      responseUrl: metadata.response_url ?? null,
    };
    const work = reject(metadata.pause_id, payload.user.id, location, result.reason);
    // An empty acknowledgement closes the modal; the outcome shows on the card.
    return { response: null, work: guarded(work, metadata.pause_id, payload.user.id, location) };
  }

  async function approve(pauseId: string, slackUserId: string, location: Location): Promise<void> {
    const identity = await approverOrExplain(slackUserId, location);
    if (!identity) return;
    rememberCard(pauseId, location);
    // A card posted before the admin required the inbox still has its Approve button: check again.
    const current = await dependencies.service().getPause(pauseId);
    if (current?.status === "pending" && !(await dependencies.approvableInSlack(current))) {
      await ephemeral(location, slackUserId, INBOX_REQUIRED_TEXT);
      await dependencies.cards.refresh(current);
      return;
    }
    const pause = await decideOrExplain(pauseId, slackUserId, location, () =>
      dependencies.service().decide(pauseId, { decision: "approve" }, { identity, channel: "slack" }),
    );
    if (!pause) return;
    await dependencies.cards.refresh(pause);
    if (pause.status === "pending") {
      // A quorum needs more approvers: the card shows the progress, the clicker gets a receipt.
      const { approvalsRequired, approvedBy } = await dependencies.governance(pause);
      const progress =
        approvalsRequired && approvedBy ? ` (${approvedBy.length} of ${approvalsRequired} approvals)` : "";
      await ephemeral(
        location,
        slackUserId,
        `Your approval is recorded${progress}. It still needs more approvals.`,
      );
    }
  }

  async function openReasonModal(
    pauseId: string,
    slackUserId: string,
    location: Location,
    triggerId: string | null,
  ): Promise<void> {
    const identity = await approverOrExplain(slackUserId, location);
    if (!identity) return;
    rememberCard(pauseId, location);
    const pause = await dependencies.service().getPause(pauseId);
    if (!pause) {
      await ephemeral(
        location,
        slackUserId,
        "This request no longer exists in Countersign. Nothing changed.",
      );
      return;
    }
    if (pause.status !== "pending") {
      await ephemeral(location, slackUserId, alreadyDecidedText(pause));
      await dependencies.cards.refresh(pause);
      return;
    }
    if (!triggerId) throw new Error("block_actions payload without a trigger_id");
    await client.views.open({
      trigger_id: triggerId,
      view: buildReasonModal(pause, { pauseId, ...location }),
    });
  }

  async function reject(
    pauseId: string,
    slackUserId: string,
    location: Location,
    reason: string,
  ): Promise<void> {
    const identity = await approverOrExplain(slackUserId, location);
    if (!identity) return;
    rememberCard(pauseId, location);
    const pause = await decideOrExplain(pauseId, slackUserId, location, () =>
      dependencies.service().decide(pauseId, { decision: "reject", reason }, { identity, channel: "slack" }),
    );
    if (pause) await dependencies.cards.refresh(pause);
  }

  async function approverOrExplain(slackUserId: string, location: Location): Promise<string | null> {
    const identity = await resolveApprover(dependencies.approvers, slackUserId);
    if (!identity) await ephemeral(location, slackUserId, NOT_AN_APPROVER_TEXT);
    return identity;
  }

  function rememberCard(pauseId: string, location: Location): void {
    // The click names its card, so a card posted before a restart is still kept up to date.
    if (location.channel && location.ts) {
      dependencies.cards.remember(pauseId, { channel: location.channel, ts: location.ts, target: null });
    }
  }

  /** Decides, or tells the clicker why nothing was decided (late click, not allowed, gone). */
  async function decideOrExplain(
    pauseId: string,
    slackUserId: string,
    location: Location,
    decide: () => Promise<Pause>,
  ): Promise<Pause | null> {
    try {
      return await decide();
    } catch (error) {
      if (isCountersignError(error, "already_approved")) {
        // A quorum vote this person already cast: the pause is still pending, the server says why.
        await ephemeral(location, slackUserId, `${escapeMrkdwn(error.message)}. Nothing changed.`);
        return null;
      }
      if (isCountersignError(error, "already_decided")) {
        const current = await dependencies.service().getPause(pauseId);
        if (current) {
          await ephemeral(location, slackUserId, alreadyDecidedText(current));
          await dependencies.cards.refresh(current);
          return null;
        }
      }
      if (isCountersignError(error, "forbidden")) {
        await ephemeral(
          location,
          slackUserId,
          `You may not decide this request: ${escapeMrkdwn(error.message)}. Nothing changed.`,
        );
        return null;
      }
      if (isCountersignError(error, "not_found")) {
        await ephemeral(
          location,
          slackUserId,
          "This request no longer exists in Countersign. Nothing changed.",
        );
        return null;
      }
      // Fail closed: a store or server failure decides nothing, and the approver is told so.
      dependencies.logError("slack decision failed", { pause_id: pauseId, error: describe(error) });
      await ephemeral(
        location,
        slackUserId,
        "Countersign could not record your decision, so nothing was decided. Try again, or decide in the inbox.",
      );
      return null;
    }
  }

  /**
   * A reply only the clicker sees: through the click's `response_url` (works
   * in channels the bot never joined), else `chat.postEphemeral`, else a DM.
   */
  async function ephemeral(location: Location, slackUserId: string, text: string): Promise<void> {
    if (location.responseUrl) {
      try {
        await replyThroughResponseUrl(location.responseUrl, text);
        return;
      } catch (error) {
        dependencies.logError("slack response_url reply failed", { error: describe(error) });
      }
    }
    if (!location.channel) {
      // No message to answer under (should not happen for cards): a direct message still reaches the clicker.
      await client.chat.postMessage({ channel: slackUserId, text });
      return;
    }
    await client.chat.postEphemeral({ channel: location.channel, user: slackUserId, text });
  }

  /** Runs the follow-up work; on an unexpected failure, logs it and tells the clicker nothing was decided. */
  function guarded(
    work: Promise<void>,
    pauseId: string,
    slackUserId: string,
    location: Location,
  ): Promise<void> {
    return work.catch(async (error: unknown) => {
      dependencies.logError("slack interaction failed", { pause_id: pauseId, error: describe(error) });
      try {
        await ephemeral(
          location,
          slackUserId,
          "Something went wrong in Countersign's Slack app. Check the request in the inbox before acting again.",
        );
      } catch (replyError) {
        dependencies.logError("slack reply failed", { pause_id: pauseId, error: describe(replyError) });
      }
    });
  }

  return { handle };
}

export type InteractionHandler = ReturnType<typeof createInteractionHandler>;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
