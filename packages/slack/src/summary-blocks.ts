import type { Pause, PauseStatus } from "@countersign/core";
import type { types } from "@slack/bolt";
import { cardTitle, type SlackMessage } from "./card-blocks.ts";
import { escapeMrkdwn, mrkdwn, plainText, truncate } from "./escape-mrkdwn.ts";
import {
  SUMMARY_ACTIONS_BLOCK_ID,
  SUMMARY_APPROVE_ALL_ACTION_ID,
  SUMMARY_REVIEW_ACTION_ID,
} from "./interaction-ids.ts";
import { slackDate } from "./time-text.ts";

/** How one pause fared in an "Approve all". */
export type BatchOutcome =
  | "approved"
  | "awaiting"
  | "refused"
  | "already_decided"
  | "inbox_required"
  | "failed";

/** The last "Approve all" on a summary: who clicked it, when, and each pause's result. */
export interface SummaryBatch {
  by: string;
  at: string;
  results: { pause: Pause; outcome: BatchOutcome; reason: string | null }[];
}

/** What a summary message shows. */
export interface SummaryView {
  summaryId: string;
  actionType: string;
  /** The collected pauses, in arrival order, as last known. */
  items: readonly Pause[];
  threshold: number;
  windowSeconds: number;
  /** Set once someone chose "Review individually": the cards are in the summary's thread. */
  reviewedIndividuallyBy: string | null;
  lastBatch: SummaryBatch | null;
}

/** Pauses named in the summary's list; the rest are counted. */
export const SUMMARY_LISTED = 5;
const LIST_MAX = 3_000;
const REASON_MAX = 300;

const STATUS_WORDS: Record<PauseStatus, string> = {
  pending: "pending",
  approved: "approved",
  rejected: "rejected",
  expired: "expired",
  cancelled: "cancelled",
};

/**
 * One message for a burst of similar pauses: how many, from how many agents,
 * the total amount when they share one, the first few, and "Approve all N" /
 * "Review individually" while any is pending. Agent text is plain text
 * (header, list) or escaped mrkdwn (the notification text).
 */
export function renderSummary(view: SummaryView): SlackMessage {
  const pending = view.items.filter((pause) => pause.status === "pending");
  const headline = summaryHeadline(view);
  const blocks: types.KnownBlock[] = [{ type: "header", text: plainText(headline, 150) }];
  blocks.push({ type: "section", text: mrkdwn(statusLine(view.items)) });
  blocks.push({ type: "section", text: plainText(itemList(view.items), LIST_MAX) });
  if (view.lastBatch) blocks.push(...batchBlocks(view.lastBatch));
  if (view.reviewedIndividuallyBy) {
    blocks.push({
      type: "section",
      text: mrkdwn(
        `:thread: *Posted one by one* in this thread by ${escapeMrkdwn(truncate(view.reviewedIndividuallyBy, 200))}: decide each card there.`,
      ),
    });
  } else if (pending.length > 0) {
    blocks.push(summaryActions(view, pending.length));
  }
  blocks.push({
    type: "context",
    elements: [
      plainText(
        `More than ${view.threshold} ${view.actionType} requests reached this channel within ${windowText(view.windowSeconds)}, so they are collected here instead of a card each.`,
        1_000,
      ),
    ],
  });
  const text = `${escapeMrkdwn(truncate(headline, 300))}: ${pending.length} pending`;
  return { text, blocks, hidden: null };
}

/** "12 refund requests from 3 agents, $1,840 in total". */
export function summaryHeadline(view: Pick<SummaryView, "actionType" | "items">): string {
  const count = view.items.length;
  const agents = new Set(view.items.map((pause) => pause.agent_id)).size;
  const type = truncate(view.actionType, 60);
  const total = totalAmount(view.items);
  return `${count} ${type} ${plural(count, "request")} from ${agents} ${plural(agents, "agent")}${total ? `, ${total} in total` : ""}`;
}

/**
 * The sum of `data.amount` when every pause has a numeric one in the same
 * currency (or none names a currency); null otherwise, since adding euros
 * to dollars would mislead.
 */
export function totalAmount(items: readonly Pause[]): string | null {
  const amounts = items.map((pause) => pause.action.data?.amount);
  if (
    amounts.length === 0 ||
    !amounts.every((amount) => typeof amount === "number" && Number.isFinite(amount))
  ) {
    return null;
  }
  const currencies = new Set(items.map((pause) => pause.action.data?.currency ?? null));
  if (currencies.size > 1) return null;
  const total = (amounts as number[]).reduce((sum, amount) => sum + amount, 0);
  const [currency] = currencies;
  if (typeof currency === "string" && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat("en-US", {
        style: "currency",
        currency,
        minimumFractionDigits: 0,
        maximumFractionDigits: 2,
      }).format(total);
    } catch {
      // Not a currency Intl knows: the number and the code below.
    }
  }
  const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(total);
  return typeof currency === "string" ? `${number} ${truncate(currency, 12)}` : number;
}

function statusLine(items: readonly Pause[]): string {
  const counts = new Map<PauseStatus, number>();
  for (const pause of items) counts.set(pause.status, (counts.get(pause.status) ?? 0) + 1);
  const order: PauseStatus[] = ["pending", "approved", "rejected", "expired", "cancelled"];
  return order
    .filter((status) => counts.has(status))
    .map((status) => `*${capitalise(STATUS_WORDS[status])}* ${counts.get(status)}`)
    .join(" · ");
}

/** "• Refund order 1 — refund-agent — pending", the first few, then how many more. */
function itemList(items: readonly Pause[]): string {
  const lines = items
    .slice(0, SUMMARY_LISTED)
    .map(
      (pause) =>
        `• ${truncate(cardTitle(pause), 120)} — ${truncate(pause.agent_id, 60)} — ${STATUS_WORDS[pause.status]}`,
    );
  const rest = items.length - SUMMARY_LISTED;
  if (rest > 0) lines.push(`…and ${rest} more`);
  return lines.join("\n");
}

function batchBlocks(batch: SummaryBatch): types.KnownBlock[] {
  const count = (outcome: BatchOutcome) =>
    batch.results.filter((result) => result.outcome === outcome).length;
  const parts = [
    `${count("approved")} approved`,
    count("awaiting") > 0 ? `${count("awaiting")} approvals recorded that still need more approvers` : null,
    count("refused") + count("inbox_required") + count("failed") > 0
      ? `${count("refused") + count("inbox_required") + count("failed")} not approved`
      : null,
    count("already_decided") > 0 ? `${count("already_decided")} already decided` : null,
  ].filter((part) => part !== null);
  const blocks: types.KnownBlock[] = [
    {
      type: "section",
      text: mrkdwn(
        `:white_check_mark: *Approve all* by ${escapeMrkdwn(truncate(batch.by, 200))} via Slack · ${slackDate(batch.at)}: ${parts.join(", ")}.`,
      ),
    },
  ];
  const notApproved = batch.results.filter(
    (result) =>
      result.outcome === "refused" || result.outcome === "inbox_required" || result.outcome === "failed",
  );
  if (notApproved.length > 0) {
    blocks.push({ type: "section", text: plainText(refusalList(notApproved), LIST_MAX) });
  }
  return blocks;
}

/** Each pause not approved and why (the server's reason), as many as fit one section. */
function refusalList(results: SummaryBatch["results"]): string {
  const heading = "Not approved, still pending:";
  const lines: string[] = [];
  let used = heading.length;
  for (const [index, result] of results.entries()) {
    const line = `• ${truncate(cardTitle(result.pause), 100)}: ${truncate(result.reason ?? "not approved", REASON_MAX)}`;
    const rest = results.length - index;
    // Keep room for the "and N more" line.
    if (used + line.length + 1 > LIST_MAX - 40) {
      lines.push(`…and ${rest} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return [heading, ...lines].join("\n");
}

function summaryActions(view: SummaryView, pending: number): types.ActionsBlock {
  const type = truncate(view.actionType, 60);
  return {
    type: "actions",
    block_id: SUMMARY_ACTIONS_BLOCK_ID,
    elements: [
      {
        type: "button",
        action_id: SUMMARY_APPROVE_ALL_ACTION_ID,
        text: { type: "plain_text", text: `Approve all ${pending}` },
        style: "primary",
        value: view.summaryId,
        confirm: {
          title: { type: "plain_text", text: `Approve all ${pending}?` },
          text: plainText(
            `Approves each of the ${pending} pending ${type} ${plural(pending, "request")} as you, one at a time, under the same rules as the Approve button on a card. Any you may not approve stays pending.`,
            300,
          ),
          confirm: { type: "plain_text", text: "Approve all" },
          deny: { type: "plain_text", text: "Cancel" },
        },
      },
      {
        type: "button",
        action_id: SUMMARY_REVIEW_ACTION_ID,
        text: { type: "plain_text", text: "Review individually" },
        value: view.summaryId,
      },
    ],
  };
}

function windowText(seconds: number): string {
  if (seconds % 3_600 === 0) return `${seconds / 3_600} ${plural(seconds / 3_600, "hour")}`;
  if (seconds % 60 === 0) return `${seconds / 60} ${plural(seconds / 60, "minute")}`;
  return `${seconds} ${plural(seconds, "second")}`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

function capitalise(word: string): string {
  return `${word.slice(0, 1).toUpperCase()}${word.slice(1)}`;
}
