import type { Pause } from "@countersign/core";
import { bodyAsMailHtml, bodyAsMailText } from "./agent-markdown.ts";
import { escapeHtml, singleLine } from "./escape-html.ts";
import { formatUtc, pauseFacts } from "./pause-facts.ts";

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface DecisionEmailLinks {
  approveUrl: string;
  rejectUrl: string;
  /** The card in the inbox (its sign-in flow asks who you are). */
  inboxUrl: string;
  /** When the links stop working (ISO 8601). */
  linksExpireAt: string;
}

const RISK_COLOURS: Record<string, string> = {
  low: "#0f6b2f",
  medium: "#8a5a00",
  high: "#b3261e",
  critical: "#7a0b05",
};

/**
 * The approval request as an e-mail: the card's title, description, risk and
 * exact arguments, the expiry, and two links that open a confirmation page
 * (opening one decides nothing). Every agent-supplied string is escaped in
 * the HTML part and kept to one line in the subject. A third link opens the
 * card in the inbox.
 */
export function renderDecisionEmail(pause: Pause, identity: string, links: DecisionEmailLinks): MailContent {
  const facts = pauseFacts(pause);
  const subject = singleLine(`Approval needed: ${facts.title}`, 180);
  const linksExpire = formatUtc(links.linksExpireAt);

  const text = [
    "Approval needed",
    "",
    facts.title,
    ...(facts.description ? ["", facts.description] : []),
    "",
    `Agent: ${facts.agentId}`,
    `Action: ${facts.actionType}`,
    `Risk: ${facts.risk ?? "not stated"}`,
    `Expires: ${facts.expiresText}`,
    ...(facts.arguments ? ["", "Arguments (exactly as they will run):", facts.arguments] : []),
    ...(facts.body ? ["", "Details from the agent:", bodyAsMailText(facts.body)] : []),
    "",
    "Approve (opens a page where you confirm):",
    links.approveUrl,
    "",
    "Reject (opens a page where you give a reason):",
    links.rejectUrl,
    "",
    "Open in the inbox:",
    links.inboxUrl,
    "",
    `The Approve and Reject links are for ${identity} only, work once, and expire ${linksExpire}.`,
    "Opening a link decides nothing until you confirm on the page.",
    `Pause ${pause.pause_id}`,
    "",
  ].join("\n");

  const row = (label: string, value: string) =>
    `<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0;color:#4a505c;font-weight:600;vertical-align:top">${escapeHtml(label)}</th><td style="padding:4px 0;vertical-align:top">${value}</td></tr>`;
  const risk = facts.risk
    ? `<span style="display:inline-block;padding:1px 8px;border-radius:10px;color:#ffffff;background:${RISK_COLOURS[facts.risk] ?? "#4a505c"};font-weight:600">${escapeHtml(facts.risk)}</span>`
    : "not stated";
  const pre = (content: string) =>
    `<pre style="background:#eef0f3;padding:12px;border-radius:6px;white-space:pre-wrap;word-break:break-word;font-family:Menlo,Consolas,monospace;font-size:13px;margin:0">${escapeHtml(content)}</pre>`;
  const button = (label: string, url: string, colour: string) =>
    `<a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 20px;margin:0 8px 8px 0;border-radius:6px;background:${colour};color:#ffffff;font-weight:600;text-decoration:none">${escapeHtml(label)}</a>`;

  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;color:#16181d;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif">
<div style="max-width:600px;margin:0 auto;padding:16px">
<div style="background:#ffffff;border:1px solid #c9ced6;border-radius:8px;padding:20px">
<p style="margin:0 0 4px;color:#4a505c;font-size:13px;text-transform:uppercase;letter-spacing:0.04em">Approval needed</p>
<h1 style="font-size:22px;line-height:1.25;margin:0 0 12px">${escapeHtml(facts.title)}</h1>
${facts.description ? `<p style="margin:0 0 12px">${escapeHtml(facts.description)}</p>` : ""}
<table role="presentation" style="border-collapse:collapse;margin:0 0 12px">
${row("Agent", escapeHtml(facts.agentId))}
${row("Action", escapeHtml(facts.actionType))}
${row("Risk", risk)}
${row("Expires", escapeHtml(facts.expiresText))}
</table>
${facts.arguments ? `<h2 style="font-size:14px;margin:16px 0 6px">Arguments, exactly as they will run</h2>${pre(facts.arguments)}` : ""}
${facts.body ? `<h2 style="font-size:14px;margin:16px 0 6px">Details from the agent</h2>${bodyAsMailHtml(facts.body)}` : ""}
<p style="margin:20px 0 8px">${button("Approve…", links.approveUrl, "#0f6b2f")}${button("Reject…", links.rejectUrl, "#b3261e")}</p>
<p style="margin:0 0 12px"><a href="${escapeHtml(links.inboxUrl)}" style="color:#0b57d0">Open in the inbox</a></p>
<p style="margin:0;color:#4a505c;font-size:13px">Each link opens a page where you confirm; opening it decides nothing. The Approve and Reject links are for ${escapeHtml(identity)} only, work once, and expire ${escapeHtml(linksExpire)}.</p>
</div>
<p style="color:#4a505c;font-size:12px;margin:12px 0 0">Countersign · pause ${escapeHtml(pause.pause_id)}</p>
</div>
</body>
</html>
`;
  return { subject, text, html };
}
