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
import { deciderText } from "./outcome-text.ts";
import { formatTimeLeft, slackDate } from "./time-text.ts";

export interface SlackMessage {
  /** Notification and accessibility fallback (mrkdwn, escaped). */
  text: string;
  blocks: types.KnownBlock[];
}

export interface CardOptions {
  now: Date;
  governance: CardGovernance;
  /** Absolute http(s) link to the pause in the web inbox; no button without it. */
  inboxUrl: string | null;
}

const RISK_LABELS: Record<Risk, string> = {
  low: ":large_green_circle: Low",
  medium: ":large_yellow_circle: Medium",
  high: ":large_orange_circle: High",
  critical: ":red_circle: Critical",
};

/** Header blocks take at most 150 characters. */
const HEADER_MAX = 150;
/** Room left in a 3,000-character text for the truncation note. */
const ARGUMENTS_MAX = 2_800;

/** What the approver reads first: the agent's title, else what it wants to do. */
export function cardTitle(pause: Pause): string {
  const title = pause.action.title?.trim();
  return title ? title : `${pause.action.type} requested by ${pause.agent_id}`;
}

/** The Slack message for a pause in its current state: buttons while pending, the outcome after. */
export function renderCard(pause: Pause, options: CardOptions): SlackMessage {
  const title = cardTitle(pause);
  const pending = pause.status === "pending";
  const blocks: types.KnownBlock[] = [{ type: "header", text: plainText(title, HEADER_MAX) }];
  if (!pending) blocks.push(...outcomeBlocks(pause));
  blocks.push({
    type: "context",
    elements: [
      plainText(`Agent: ${pause.agent_id}`, 1_000),
      plainText(`Action: ${pause.action.type}`, 1_000),
    ],
  });
  blocks.push({ type: "section", fields: factFields(pause, options) });
  const preview = [pause.action.description, pause.action.body].filter((part) => part?.trim()).join("\n\n");
  if (preview) blocks.push({ type: "section", text: plainText(preview) });
  blocks.push(argumentsBlock(pause));
  if (pending) blocks.push(actionsBlock(pause, title, options.inboxUrl));
  blocks.push({
    type: "context",
    elements: [
      plainText(`Pause ${pause.pause_id}`, 1_000),
      mrkdwn(`Requested ${slackDate(pause.created_at)}`),
    ],
  });
  return { text: fallbackText(pause, title), blocks };
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
    const names =
      approvedBy.length > 0 ? `: ${approvedBy.map((id) => escapeMrkdwn(truncate(id, 100))).join(", ")}` : "";
    fields.push(
      mrkdwn(`*Approvals*\n${Math.min(approvedBy.length, required)} of ${required} approvals${names}`),
    );
  }
  if (governance.escalatedTo) {
    fields.push(mrkdwn(`*Escalated to*\n${escapeMrkdwn(truncate(governance.escalatedTo, 200))}`));
  }
  return fields;
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
function argumentsBlock(pause: Pause): types.RichTextBlock {
  const edited = pause.status === "approved" && pause.decision?.data != null;
  const data = edited ? pause.decision?.data : pause.action.data;
  const label = edited ? "Arguments (edited by the approver)" : "Arguments";
  let json = data === undefined || data === null ? "(none)" : JSON.stringify(data, null, 2);
  if (json.length > ARGUMENTS_MAX)
    json = `${json.slice(0, ARGUMENTS_MAX)}\n… truncated: open the pause in the inbox for the rest`;
  return {
    type: "rich_text",
    elements: [
      { type: "rich_text_section", elements: [{ type: "text", text: label, style: { bold: true } }] },
      { type: "rich_text_preformatted", elements: [{ type: "text", text: json }] },
    ],
  };
}

function actionsBlock(pause: Pause, title: string, inboxUrl: string | null): types.ActionsBlock {
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
  const elements: types.Button[] = [
    approve,
    {
      type: "button",
      action_id: REJECT_ACTION_ID,
      text: { type: "plain_text", text: "Reject" },
      style: "danger",
      value: pause.pause_id,
    },
  ];
  if (inboxUrl) {
    elements.push({
      type: "button",
      action_id: OPEN_INBOX_ACTION_ID,
      text: { type: "plain_text", text: "Open in inbox" },
      url: inboxUrl,
      value: pause.pause_id,
    });
  }
  return { type: "actions", block_id: ACTIONS_BLOCK_ID, elements };
}
