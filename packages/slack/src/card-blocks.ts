import type { Pause, Risk } from "@countersign/core";
import type { types } from "@slack/bolt";
import type { CardGovernance } from "./card-governance.ts";
import { escapeMrkdwn, mrkdwn, plainText, truncate } from "./escape-mrkdwn.ts";
import {
  ACTIONS_BLOCK_ID,
  APPROVE_ACTION_ID,
  OPEN_INBOX_ACTION_ID,
  REJECT_ACTION_ID,
} from "./interaction-ids.ts";
import { markdownToMrkdwnBlocks } from "./markdown-mrkdwn.ts";
import { deciderText } from "./outcome-text.ts";
import { formatTimeLeft, slackDate } from "./time-text.ts";

export interface SlackMessage {
  /** Notification and accessibility fallback (mrkdwn, escaped). */
  text: string;
  blocks: types.KnownBlock[];
  /** What the card could not show, in characters; null when it shows everything. */
  hidden: HiddenContent | null;
}

/** Characters of the request left out of a card to keep it within Slack's limits. */
export interface HiddenContent {
  /** Of the agent's description and Markdown body. */
  details: number;
  /** Of the arguments, as indented JSON. */
  arguments: number;
}

export interface CardOptions {
  now: Date;
  governance: CardGovernance;
  /** Absolute http(s) link to the pause in the web inbox; no button without it. */
  inboxUrl: string | null;
  /**
   * When part of the request is hidden, offer no Approve button: the
   * approver reads everything in the inbox first. Reject stays (it is safe
   * on partial information). Default false.
   */
  requireInboxWhenTruncated?: boolean;
}

const RISK_LABELS: Record<Risk, string> = {
  low: ":large_green_circle: Low",
  medium: ":large_yellow_circle: Medium",
  high: ":large_orange_circle: High",
  critical: ":red_circle: Critical",
};

/** Header blocks take at most 150 characters. */
const HEADER_MAX = 150;
/** Section text takes at most 3,000 characters; the arguments keep room for a note. */
const SECTION_TEXT_MAX = 3_000;
const ARGUMENTS_MAX = 2_800;
/** A section field takes at most 2,000 characters. */
const FIELD_MAX = 2_000;

/** What the approver reads first: the agent's title, else what it wants to do. */
export function cardTitle(pause: Pause): string {
  const title = pause.action.title?.trim();
  return title ? title : `${pause.action.type} requested by ${pause.agent_id}`;
}

/** The Slack message for a pause in its current state: buttons while pending, the outcome after. */
export function renderCard(pause: Pause, options: CardOptions): SlackMessage {
  const title = cardTitle(pause);
  const pending = pause.status === "pending";
  const details = detailBlocks(pause);
  const args = argumentsBlock(pause);
  const hidden =
    details.hidden > 0 || args.hidden > 0 ? { details: details.hidden, arguments: args.hidden } : null;
  const blocks: types.KnownBlock[] = [{ type: "header", text: plainText(title, HEADER_MAX) }];
  if (!pending) blocks.push(...outcomeBlocks(pause));
  blocks.push({
    type: "context",
    elements: [
      plainText(`Agent: ${pause.agent_id}`, 1_000),
      plainText(`Action: ${pause.action.type}`, 1_000),
    ],
  });
  if (hidden && pending) blocks.push(hiddenNotice(hidden, options));
  blocks.push({ type: "section", fields: factFields(pause, options) });
  blocks.push(...details.blocks);
  blocks.push(args.block);
  if (pending) blocks.push(actionsBlock(pause, title, options, hidden !== null));
  blocks.push({
    type: "context",
    elements: [
      plainText(`Pause ${pause.pause_id}`, 1_000),
      mrkdwn(`Requested ${slackDate(pause.created_at)}`),
    ],
  });
  return { text: fallbackText(pause, title), blocks, hidden };
}

/** Whether an approver may approve this card in Slack, or must read it in the inbox first. */
export function approvableInSlack(
  message: SlackMessage,
  options: Pick<CardOptions, "requireInboxWhenTruncated">,
) {
  return !(options.requireInboxWhenTruncated && message.hidden);
}

const NUMBER = new Intl.NumberFormat("en-US");

/** Says how much is hidden and where to read it, before anything else the approver might act on. */
function hiddenNotice(hidden: HiddenContent, options: CardOptions): types.SectionBlock {
  const parts = [
    hidden.details > 0 ? `${NUMBER.format(hidden.details)} characters of the details` : null,
    hidden.arguments > 0 ? `${NUMBER.format(hidden.arguments)} characters of the arguments` : null,
  ].filter((part) => part !== null);
  const where = options.inboxUrl ? "Open it in the inbox" : "Read it in the Countersign inbox";
  const rule = options.requireInboxWhenTruncated
    ? `${where} to approve: approving is off in Slack for cards that do not show everything.`
    : `${where} to read everything before you approve.`;
  return {
    type: "section",
    text: mrkdwn(
      `:warning: *This card does not show the whole request:* ${parts.join(" and ")} are hidden. ${rule}`,
    ),
  };
}

/**
 * The agent's description (plain text) and Markdown body (as mrkdwn, with
 * everything it wrote escaped), cut at a block boundary to one section.
 */
function detailBlocks(pause: Pause): { blocks: types.SectionBlock[]; hidden: number } {
  const blocks: types.SectionBlock[] = [];
  let hidden = 0;
  const description = pause.action.description?.trim();
  if (description) {
    blocks.push({ type: "section", text: plainText(description, SECTION_TEXT_MAX) });
    hidden += Math.max(0, description.length - (SECTION_TEXT_MAX - 1));
  }
  const body = pause.action.body?.trim();
  if (body) {
    const parts = markdownToMrkdwnBlocks(body);
    const shown: string[] = [];
    let used = 0;
    for (const part of parts) {
      const cost = part.length + (shown.length > 0 ? 2 : 0);
      if (hidden === 0 && used + cost <= SECTION_TEXT_MAX) {
        shown.push(part);
        used += cost;
      } else if (shown.length === 0) {
        // One block longer than a section: show its start, closing a code fence it opened.
        const fenced = part.startsWith("```");
        const room = SECTION_TEXT_MAX - (fenced ? 5 : 1);
        shown.push(fenced ? `${part.slice(0, room)}…\n\`\`\`` : `${part.slice(0, room)}…`);
        hidden += part.length - room;
        used = SECTION_TEXT_MAX;
      } else {
        hidden += part.length;
      }
    }
    if (shown.length > 0)
      blocks.push({ type: "section", text: mrkdwn(shown.join("\n\n"), SECTION_TEXT_MAX) });
  }
  return { blocks, hidden };
}

function fallbackText(pause: Pause, title: string): string {
  const safeTitle = escapeMrkdwn(truncate(title, 200));
  switch (pause.status) {
    case "pending":
      return `Approval needed: ${safeTitle}`;
    case "approved":
      return `Approved: ${safeTitle}, by ${deciderText(pause)}`;
    case "rejected":
      return `Rejected: ${safeTitle}, by ${deciderText(pause)}`;
    case "expired":
      return `Expired without a decision: ${safeTitle}`;
    case "cancelled":
      return `Cancelled: ${safeTitle}`;
  }
}

function factFields(pause: Pause, options: CardOptions): types.MrkdwnElement[] {
  const { governance } = options;
  const fields: types.MrkdwnElement[] = [
    mrkdwn(`*Risk*\n${pause.action.risk ? RISK_LABELS[pause.action.risk] : "Not stated"}`),
  ];
  if (pause.status === "pending") {
    // A relative time goes stale once posted, so it names the moment it was true.
    fields.push(
      mrkdwn(
        `*Time left*\n${formatTimeLeft(pause.expires_at, options.now)} as of ${slackDate(options.now.toISOString(), "{time}")}, expires ${slackDate(pause.expires_at)}`,
      ),
    );
  }
  const rule = governance.rule
    ? `Rule ${escapeMrkdwn(truncate(governance.rule, 200))}`
    : "The agent's request (no policy rule)";
  fields.push(mrkdwn(`*Routed by*\n${rule}`));
  const required = governance.approvalsRequired ?? 1;
  if (required > 1) {
    const approvedBy = governance.approvedBy ?? [];
    const heading = `*Approvals*\n${Math.min(approvedBy.length, required)} of ${required} approvals`;
    fields.push(mrkdwn(`${heading}${approverNames(approvedBy, FIELD_MAX - heading.length)}`, FIELD_MAX));
  }
  if (governance.escalatedTo) {
    fields.push(mrkdwn(`*Escalated to*\n${escapeMrkdwn(truncate(governance.escalatedTo, 200))}`));
  }
  return fields;
}

/** `: alice, bob and 27 more`, as many names as fit in `room` characters. */
function approverNames(approvedBy: string[], room: number): string {
  if (approvedBy.length === 0) return "";
  const names = approvedBy.map((id) => escapeMrkdwn(truncate(id, 100)));
  for (let shown = names.length; shown > 0; shown -= 1) {
    const rest = names.length - shown;
    const text = `: ${names.slice(0, shown).join(", ")}${rest > 0 ? ` and ${rest} more` : ""}`;
    if (text.length <= room) return text;
  }
  return ` (${names.length} approvers)`;
}

function outcomeBlocks(pause: Pause): types.KnownBlock[] {
  const decision = pause.decision;
  const at = decision ? ` · ${slackDate(decision.decided_at)}` : "";
  const lines: Record<Exclude<Pause["status"], "pending">, string> = {
    approved: `:white_check_mark: *Approved* by ${deciderText(pause)}${at}`,
    rejected: `:x: *Rejected* by ${deciderText(pause)}${at}`,
    expired: `:hourglass: *Expired* without a decision${at}. It counts as a rejection.`,
    cancelled: `:no_entry_sign: *Cancelled* by the agent${at}`,
  };
  const blocks: types.KnownBlock[] = [
    { type: "section", text: mrkdwn(lines[pause.status as keyof typeof lines]) },
  ];
  if (decision?.reason) blocks.push({ type: "section", text: plainText(`Reason: ${decision.reason}`) });
  return blocks;
}

/** The exact arguments as a literal preformatted block: Slack parses nothing inside rich-text text. */
function argumentsBlock(pause: Pause): { block: types.RichTextBlock; hidden: number } {
  const edited = pause.status === "approved" && pause.decision?.data != null;
  const data = edited ? pause.decision?.data : pause.action.data;
  const label = edited ? "Arguments (edited by the approver)" : "Arguments";
  let json = data === undefined || data === null ? "(none)" : JSON.stringify(data, null, 2);
  const hidden = Math.max(0, json.length - ARGUMENTS_MAX);
  if (hidden > 0) {
    json = `${json.slice(0, ARGUMENTS_MAX)}\n… ${NUMBER.format(hidden)} more characters: open the pause in the inbox for the rest`;
  }
  return {
    block: {
      type: "rich_text",
      elements: [
        { type: "rich_text_section", elements: [{ type: "text", text: label, style: { bold: true } }] },
        { type: "rich_text_preformatted", elements: [{ type: "text", text: json }] },
      ],
    },
    hidden,
  };
}

/**
 * Approve, Reject and Open in inbox. When part of the request is hidden,
 * Open in inbox comes first, and with `requireInboxWhenTruncated` there is
 * no Approve button at all.
 */
function actionsBlock(
  pause: Pause,
  title: string,
  options: CardOptions,
  truncated: boolean,
): types.ActionsBlock {
  const { inboxUrl } = options;
  const approve: types.Button = {
    type: "button",
    action_id: APPROVE_ACTION_ID,
    text: { type: "plain_text", text: "Approve" },
    style: "primary",
    value: pause.pause_id,
  };
  if (pause.action.risk === "high" || pause.action.risk === "critical") {
    approve.confirm = {
      title: { type: "plain_text", text: "Approve this action?" },
      text: plainText(title, 300),
      confirm: { type: "plain_text", text: "Approve" },
      deny: { type: "plain_text", text: "Cancel" },
    };
  }
  const reject: types.Button = {
    type: "button",
    action_id: REJECT_ACTION_ID,
    text: { type: "plain_text", text: "Reject" },
    style: "danger",
    value: pause.pause_id,
  };
  const inbox: types.Button | null = inboxUrl
    ? {
        type: "button",
        action_id: OPEN_INBOX_ACTION_ID,
        text: { type: "plain_text", text: truncated ? "Open in inbox to read all" : "Open in inbox" },
        url: inboxUrl,
        value: pause.pause_id,
      }
    : null;
  const decide = truncated && options.requireInboxWhenTruncated ? [reject] : [approve, reject];
  const elements = truncated ? [inbox, ...decide] : [...decide, inbox];
  return {
    type: "actions",
    block_id: ACTIONS_BLOCK_ID,
    elements: elements.filter((element): element is types.Button => element !== null),
  };
}
