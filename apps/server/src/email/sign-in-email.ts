import type { MailContent } from "./decision-email.ts";
import { escapeHtml } from "./escape-html.ts";
import { formatUtc } from "./pause-facts.ts";

/** A one-time inbox sign-in link to mail (the inbox's `sendSignInLink` message). */
export interface SignInMail {
  identity: string;
  email: string;
  url: string;
  expiresAt: string;
}

/** The sign-in e-mail: the link in both parts, who it signs in, and when it stops working. */
export function renderSignInEmail(message: SignInMail): MailContent {
  const expires = formatUtc(message.expiresAt);
  const subject = "Your Countersign sign-in link";
  const text = [
    `Sign in to the Countersign inbox as ${message.identity}:`,
    message.url,
    "",
    `The link works once and expires ${expires}. If you did not ask for it, ignore this e-mail.`,
    "",
  ].join("\n");
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:16px;background:#f4f5f7;color:#16181d;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif">
<div style="max-width:600px;margin:0 auto;background:#ffffff;border:1px solid #c9ced6;border-radius:8px;padding:20px">
<p style="margin:0 0 16px">Sign in to the Countersign inbox as <strong>${escapeHtml(message.identity)}</strong>.</p>
<p style="margin:0 0 16px"><a href="${escapeHtml(message.url)}" style="display:inline-block;padding:10px 20px;border-radius:6px;background:#0b57d0;color:#ffffff;font-weight:600;text-decoration:none">Sign in</a></p>
<p style="margin:0;color:#4a505c;font-size:13px">The link works once and expires ${escapeHtml(expires)}. If you did not ask for it, ignore this e-mail.</p>
</div>
</body>
</html>
`;
  return { subject, text, html };
}
