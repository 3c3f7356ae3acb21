import type { Pause, Risk } from "@countersign/core";
import type { CardElementArray, IAdaptiveCard, IFact, ITextBlock } from "@microsoft/teams.cards";
import { argumentFacts } from "./argument-facts.ts";
import { cardActions } from "./card-actions.ts";
import { cardDateTime, cardTime, formatTimeLeft } from "./card-dates.ts";
import type { CardGovernance } from "./card-governance.ts";
import { safeText, truncate } from "./card-text.ts";
import { deciderText } from "./outcome-text.ts";

export interface CardOptions {
  now: Date;
  governance: CardGovernance;
  /** Absolute http(s) link to the pause in the web inbox; no button and no pointer without it. */
  inboxUrl: string | null;
}

/** What a card message carries: the card and the notification text Teams shows for it. */
export interface TeamsCard {
  card: IAdaptiveCard;
  /** Plain notification and accessibility text (inert). */
  summary: string;
}

const RISK_LABELS: Record<Risk, string> = {
  low: "\u{1F7E2} Low",
  medium: "\u{1F7E1} Medium",
  high: "\u{1F7E0} High",
  critical: "\u{1F534} Critical",
};

const TITLE_MAX = 200;
const PREVIEW_MAX = 2_000;

/** What the approver reads first: the agent's title, else what it wants to do. */
export function cardTitle(pause: Pause): string {
  const title = pause.action.title?.trim();
  return title ? title : `${pause.action.type} requested by ${pause.agent_id}`;
}

/**
 * The Adaptive Card (schema 1.5) for a pause in its current state: Approve,
 * Reject with a reason and Open in inbox while pending, the outcome after.
 * Every agent-supplied string goes through `safeText`.
 */
export function renderCard(pause: Pause, options: CardOptions): TeamsCard {
  const title = cardTitle(pause);
  const pending = pause.status === "pending";
  const body: CardElementArray = [text(safeText(title, TITLE_MAX), { size: "Large", weight: "Bolder" })];
  if (!pending) body.push(...outcome(pause));
  body.push(
    text(`Agent: ${safeText(pause.agent_id, 200)} · Action: ${safeText(pause.action.type, 200)}`, {
      isSubtle: true,
      spacing: "None",
    }),
    { type: "FactSet", facts: governanceFacts(pause, options) },
  );
  const preview = [pause.action.description, pause.action.body].filter((part) => part?.trim()).join("\n\n");
  let truncated = preview.length > PREVIEW_MAX;
  if (preview) body.push(text(safeText(preview, PREVIEW_MAX)));
  const args = argumentFacts(pause);
  truncated ||= args.truncated;
  body.push(text(args.label, { weight: "Bolder", separator: true }));
  body.push(
    args.facts.length > 0 ? { type: "FactSet", facts: args.facts } : text("(none)", { isSubtle: true }),
  );
  if (truncated) {
    body.push(
      text(
        options.inboxUrl
          ? "Part of this request is cut short here. Open it in the inbox to read all of it before you decide."
          : "Part of this request is cut short here. Read all of it in the Countersign inbox before you decide.",
        { color: "Warning" },
      ),
    );
  }
  body.push(
    text(`Pause ${pause.pause_id} · requested ${cardDateTime(pause.created_at)}`, {
      isSubtle: true,
      size: "Small",
      separator: true,
    }),
  );
  const actions = cardActions(pause, title, options.inboxUrl);
  const card: IAdaptiveCard = {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    fallbackText: summaryText(pause, title),
    body,
    ...(actions.length > 0 && { actions }),
    msteams: { width: "full" },
  };
  return { card, summary: summaryText(pause, title) };
}

function summaryText(pause: Pause, title: string): string {
  const safeTitle = safeText(title, TITLE_MAX);
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

function governanceFacts(pause: Pause, options: CardOptions): IFact[] {
  const { governance } = options;
  const facts: IFact[] = [
    { title: "Risk", value: pause.action.risk ? RISK_LABELS[pause.action.risk] : "Not stated" },
  ];
  if (pause.status === "pending") {
    // A relative time goes stale once posted, so it names the moment it was true.
    facts.push({
      title: "Time left",
      value: `${formatTimeLeft(pause.expires_at, options.now)} as of ${cardTime(options.now.toISOString())}`,
    });
    facts.push({ title: "Expires", value: cardDateTime(pause.expires_at) });
  }
  facts.push({
    title: "Routed by",
    value: governance.rule
      ? `Rule ${safeText(governance.rule, 200)}`
      : "The agent's request (no policy rule)",
  });
  const required = governance.approvalsRequired ?? 1;
  if (required > 1) {
    const approvedBy = governance.approvedBy ?? [];
    const names = approvedBy.length > 0 ? `: ${approvedBy.map((id) => safeText(id, 100)).join(", ")}` : "";
    facts.push({
      title: "Approvals",
      value: `${Math.min(approvedBy.length, required)} of ${required} approvals${names}`,
    });
  }
  if (governance.escalatedTo) {
    facts.push({ title: "Escalated to", value: safeText(governance.escalatedTo, 200) });
  }
  return facts;
}

function outcome(pause: Pause): CardElementArray {
  const decision = pause.decision;
  const at = decision ? ` · ${cardDateTime(decision.decided_at)}` : "";
  const lines: Record<Exclude<Pause["status"], "pending">, [string, "good" | "attention" | "warning"]> = {
    approved: [`\u2705 **Approved** by ${deciderText(pause)}${at}`, "good"],
    rejected: [`\u274C **Rejected** by ${deciderText(pause)}${at}`, "attention"],
    expired: [`\u231B **Expired** without a decision${at}. It counts as a rejection.`, "warning"],
    cancelled: [`\u{1F6AB} **Cancelled** by the agent${at}`, "warning"],
  };
  const [line, style] = lines[pause.status as keyof typeof lines];
  const items: CardElementArray = [text(line)];
  if (decision?.reason) items.push(text(`Reason: ${safeText(decision.reason, 1_000)}`));
  return [{ type: "Container", style, items }];
}

function text(value: string, extra: Partial<Omit<ITextBlock, "type" | "text">> = {}): ITextBlock {
  // Teams refuses an empty TextBlock text.
  return { type: "TextBlock", text: truncate(value, 5_000) || " ", wrap: true, ...extra };
}
