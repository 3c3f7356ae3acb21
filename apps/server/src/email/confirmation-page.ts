import type { Pause } from "@countersign/core";
import { bodyAsPageHtml } from "./agent-markdown.ts";
import { escapeHtml } from "./escape-html.ts";
import type { LinkClaims } from "./link-token.ts";
import { htmlPage } from "./page-layout.ts";
import { formatUtc, pauseFacts } from "./pause-facts.ts";

/** Reasons an approver picks most often; "write your own" is always there too. */
export const PRESET_REJECT_REASONS = [
  "The amount or details look wrong",
  "I did not expect this request",
  "Needs more information first",
  "Not allowed by our policy",
] as const;

export interface ConfirmationForm {
  /** The action the form posts to, e.g. `/email/decide`. */
  action: string;
  token: string;
  csrf: string;
  claims: LinkClaims;
  /** The choice shown first; from the link unless the form came back with an error. */
  decision: "approve" | "reject";
  preset?: string;
  reason?: string;
  /** Shown above the form, e.g. "Give a reason to reject". */
  error?: string;
}

/**
 * The page a link opens. It decides nothing: the person reads the request
 * and presses Approve or Reject (a reason is required to reject). Works
 * without script and by keyboard; every agent-supplied string is escaped.
 */
export function confirmationPage(pause: Pause, form: ConfirmationForm, status = 200): Response {
  const facts = pauseFacts(pause);
  const rejecting = form.decision === "reject";
  const heading = rejecting ? "Reject this request?" : "Approve this request?";
  const risk = facts.risk
    ? `<span class="risk risk-${escapeHtml(facts.risk)}">${escapeHtml(facts.risk)}</span>`
    : "not stated";
  const presets = PRESET_REJECT_REASONS.map((preset, index) => {
    const checked = form.preset === preset ? " checked" : "";
    return `<div class="choice"><input type="radio" id="preset-${index}" name="preset" value="${escapeHtml(preset)}"${checked}><label for="preset-${index}">${escapeHtml(preset)}</label></div>`;
  }).join("\n");
  const describedBy = form.error ? "reason-hint form-error" : "reason-hint";
  const approveButton = `<button type="submit" name="decision" value="approve" class="approve">Approve</button>`;
  const rejectButton = `<button type="submit" name="decision" value="reject" class="reject">Reject</button>`;

  const main = `<p class="eyebrow">Approval request</p>
<h1>${escapeHtml(heading)}</h1>
<div class="card">
<h2 id="request-title">${escapeHtml(facts.title)}</h2>
${facts.description ? `<p>${escapeHtml(facts.description)}</p>` : ""}
<dl>
<dt>Agent</dt><dd>${escapeHtml(facts.agentId)}</dd>
<dt>Action</dt><dd>${escapeHtml(facts.actionType)}</dd>
<dt>Risk</dt><dd>${risk}</dd>
<dt>Expires</dt><dd><time datetime="${escapeHtml(facts.expiresAt)}">${escapeHtml(facts.expiresText)}</time></dd>
</dl>
${facts.arguments ? `<h2>Arguments, exactly as they will run</h2>\n<pre>${escapeHtml(facts.arguments)}</pre>` : ""}
${facts.body ? `<h2>Details from the agent</h2>\n<div class="markdown">${bodyAsPageHtml(facts.body)}</div>` : ""}
</div>
<form method="post" action="${escapeHtml(form.action)}" aria-labelledby="request-title">
${form.error ? `<p id="form-error" class="error" role="alert">${escapeHtml(form.error)}</p>` : ""}
<input type="hidden" name="token" value="${escapeHtml(form.token)}">
<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">
<fieldset>
<legend>If you reject: why?</legend>
${presets}
</fieldset>
<label for="reason">Reason</label>
<p id="reason-hint" class="hint">Required to reject: pick one above, write your own, or both. Optional when you approve. The agent sees it.</p>
<textarea id="reason" name="reason" maxlength="2000" aria-describedby="${describedBy}"${form.error ? ' aria-invalid="true"' : ""}>${escapeHtml(form.reason ?? "")}</textarea>
<div class="actions">
${rejecting ? `${rejectButton}\n${approveButton}` : `${approveButton}\n${rejectButton}`}
</div>
<p class="hint">You decide as <strong>${escapeHtml(form.claims.identity)}</strong>. This link works once and expires ${escapeHtml(formatUtc(new Date(form.claims.expires_at * 1000).toISOString()))}. You can also <a href="${escapeHtml(pause.links.inbox)}">open it in the inbox</a>.</p>
</form>`;
  return htmlPage(status, heading, main);
}
