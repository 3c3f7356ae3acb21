import type { Decider, Pause } from "@countersign/core";
import type { MailContent } from "./decision-email.ts";
import { escapeHtml, singleLine } from "./escape-html.ts";
import { formatUtc, pauseFacts } from "./pause-facts.ts";

/**
 * The follow-up to an approval e-mail once the pause is settled elsewhere:
 * one line that says how it ended and who ended it ("Decided: approved by
 * bob@acme.com at 10:42 UTC on 2 Dec 2026"), their reason, and the inbox
 * link. It has no decision links: there is nothing left to decide.
 */
export function renderDecidedEmail(pause: Pause): MailContent {
  const facts = pauseFacts(pause);
  const outcome = outcomeLine(pause);
  const reason = pause.decision?.reason?.trim() || null;
  const subject = singleLine(`${outcome.label}: ${facts.title}`, 180);
  const text = [
    outcome.sentence,
    "",
    facts.title,
    ...(reason ? ["", `Reason: ${reason}`] : []),
    "",
    "The links in the earlier e-mail no longer do anything. Nothing more is needed from you.",
    "",
    "Open in the inbox:",
    pause.links.inbox,
    "",
    `Pause ${pause.pause_id}`,
    "",
  ].join("\n");

  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;color:#16181d;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif">
<div style="max-width:600px;margin:0 auto;padding:16px">
<div style="background:#ffffff;border:1px solid #c9ced6;border-radius:8px;padding:20px">
<p style="margin:0 0 4px;color:#4a505c;font-size:13px;text-transform:uppercase;letter-spacing:0.04em">${escapeHtml(outcome.label)}</p>
<h1 style="font-size:20px;line-height:1.25;margin:0 0 12px">${escapeHtml(facts.title)}</h1>
<p style="margin:0 0 12px;font-weight:600">${escapeHtml(outcome.sentence)}</p>
${reason ? `<p style="margin:0 0 12px">Reason: ${escapeHtml(reason)}</p>` : ""}
<p style="margin:0 0 12px"><a href="${escapeHtml(pause.links.inbox)}" style="color:#0b57d0">Open in the inbox</a></p>
<p style="margin:0;color:#4a505c;font-size:13px">The links in the earlier e-mail no longer do anything. Nothing more is needed from you.</p>
</div>
<p style="color:#4a505c;font-size:12px;margin:12px 0 0">Countersign · pause ${escapeHtml(pause.pause_id)}</p>
</div>
</body>
</html>
`;
  return { subject, text, html };
}

/** `Decided: approved by bob@acme.com at 10:42 UTC on 2 Dec 2026`, and the label for the subject. */
function outcomeLine(pause: Pause): { label: string; sentence: string } {
  const decision = pause.decision;
  const when = decision ? ` ${atTime(decision.decided_at)}` : "";
  switch (pause.status) {
    case "expired":
      return {
        label: "Expired",
        sentence: `Expired: nobody decided in time${when}, so it counts as rejected.`,
      };
    case "cancelled":
      return { label: "Cancelled", sentence: `Cancelled by the agent${when}.` };
    default: {
      const verb = pause.status === "approved" ? "approved" : "rejected";
      const by = decision ? ` ${byWhom(decision.decided_by)}` : "";
      return { label: "Decided", sentence: `Decided: ${verb}${by}${when}` };
    }
  }
}

function byWhom(decider: Decider): string {
  const onBehalfOf = (decider as { on_behalf_of?: unknown }).on_behalf_of;
  const delegate = typeof onBehalfOf === "string" ? ` on behalf of ${onBehalfOf}` : "";
  switch (decider.kind) {
    case "policy":
      return `by policy (rule ${decider.rule ?? decider.id})`;
    case "grant":
      return `under a standing grant from ${decider.granted_by ?? decider.id}`;
    case "timeout":
      return "when it timed out";
    default:
      return `by ${decider.id}${delegate}`;
  }
}

/** `at 10:42 UTC on 2 Dec 2026` */
function atTime(iso: string): string {
  const [date, time] = formatUtc(iso).split(", ") as [string, string];
  return `at ${time} on ${date}`;
}
