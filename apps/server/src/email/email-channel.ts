import { CountersignError, type Pause, type Recipient } from "@countersign/core";
import { type ApprovalService, type ChannelPlugin, jsonLogger } from "@countersign/core/server";
import { createTransport } from "nodemailer";
import { renderDecisionEmail } from "./decision-email.ts";
import { decisionRoutes } from "./decision-routes.ts";
import type { EmailChannelOptions } from "./email-options.ts";
import { followUpSender } from "./follow-up-sender.ts";
import { type LinkClaims, newTokenId, sealLinkToken } from "./link-token.ts";
import { renderSignInEmail, type SignInMail } from "./sign-in-email.ts";
import { smtpOptionsFromUrl } from "./smtp-url.ts";

const DEFAULT_MAX_LINK_AGE_SECONDS = 7 * 24 * 3600;
const DEFAULT_FOLLOW_UP_INTERVAL_MS = 10_000;
const MIN_SECRET_LENGTH = 32;
/** One plain address: no display name, list or comment that could smuggle in another recipient. */
const EMAIL_ADDRESS = /^[^\s@,;:<>()[\]\\"]+@[^\s@,;:<>()[\]\\"]+\.[^\s@,;:<>()[\]\\".]+$/;

export interface EmailChannel extends ChannelPlugin {
  channel: "email";
  /** Mails an inbox sign-in link (plug it into the inbox's `sendSignInLink`). */
  sendSignInLink(message: SignInMail): Promise<void>;
}

/**
 * Approvals by e-mail: one message per e-mail recipient of a pause who is a
 * known approver, with signed, expiring, single-use links bound to that
 * approver's identity. A link opens a confirmation page; only pressing
 * Approve or Reject there decides, and the server checks again then that the
 * person may still decide it. Once the pause is settled, every other
 * recipient gets one follow-up saying how and by whom (with `followUps`).
 * See docs/email.md.
 */
export function emailChannel(options: EmailChannelOptions): EmailChannel {
  if (options.secret.length < MIN_SECRET_LENGTH) {
    throw new CountersignError(
      "invalid_request",
      `The e-mail link secret must be at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  if (!options.from.trim())
    throw new CountersignError("invalid_request", "The e-mail channel needs a from address");
  const now = options.now ?? (() => new Date());
  const log = options.log ?? jsonLogger();
  const path = options.path ?? "/email/decide";
  const maxLinkAgeSeconds = options.maxLinkAgeSeconds ?? DEFAULT_MAX_LINK_AGE_SECONDS;
  const transporter = createTransport(
    typeof options.smtp === "string" ? smtpOptionsFromUrl(options.smtp) : options.smtp,
  );
  const followUps = options.followUps
    ? followUpSender({
        store: options.followUps,
        transporter,
        from: options.from,
        now,
        log,
        intervalMs: options.followUpIntervalMs ?? DEFAULT_FOLLOW_UP_INTERVAL_MS,
      })
    : null;

  async function send(pause: Pause, email: string, service: ApprovalService): Promise<void> {
    // Links decide as a known approver, never as an address: an agent cannot mail itself a decision.
    const approver = await service.findApprover(email);
    if (!approver) throw new Error("not a known approver, so no decision link was sent");
    const { identity } = approver;
    const nowSeconds = Math.floor(now().getTime() / 1000);
    const expiresAt = Math.min(
      Math.floor(Date.parse(pause.expires_at) / 1000),
      nowSeconds + maxLinkAgeSeconds,
    );
    if (expiresAt <= nowSeconds) throw new Error("the pause expires before a link could be used");
    // Both links of one e-mail share a token id: the e-mail decides once, whichever link is used.
    const claims: Omit<LinkClaims, "decision"> = {
      v: 1,
      pause_id: pause.pause_id,
      identity,
      email,
      expires_at: expiresAt,
      token_id: newTokenId(),
    };
    // The token rides in the fragment: browsers never send it, so no server, proxy or Referer logs it.
    const link = (decision: "approve" | "reject") =>
      `${service.baseUrl}${path}#token=${sealLinkToken(options.secret, { ...claims, decision })}`;
    const linksExpireAt = new Date(expiresAt * 1000).toISOString();
    const message = renderDecisionEmail(pause, identity, {
      approveUrl: link("approve"),
      rejectUrl: link("reject"),
      inboxUrl: pause.links.inbox,
      linksExpireAt,
    });
    const sent = await transporter.sendMail({
      from: options.from,
      to: email,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: { "Auto-Submitted": "auto-generated", "X-Countersign-Pause": pause.pause_id },
    });
    // Owed from now on, kept in the store: when the pause is settled, this person hears how.
    await followUps?.owe(pause, email, identity, sent.messageId ?? null).catch((error: unknown) => {
      log.error("e-mail follow-up not recorded", {
        pause_id: pause.pause_id,
        error: error instanceof Error ? error.message : String(error),
      });
    });
    await service.recordEvent(
      pause.pause_id,
      "pause.notified",
      { kind: "system", id: "email" },
      {
        channel: "email",
        target: email,
        identity,
        message_id: sent.messageId,
        links_expire_at: linksExpireAt,
      },
    );
  }

  return {
    channel: "email",
    async sendSignInLink(message) {
      if (!isEmailAddress(message.email)) {
        throw new CountersignError("invalid_request", `${message.email} is not a single e-mail address`);
      }
      const mail = renderSignInEmail(message);
      await transporter.sendMail({
        from: options.from,
        to: message.email,
        ...mail,
        headers: { "Auto-Submitted": "auto-generated" },
      });
    },
    async notify(pause: Pause, recipients: Recipient[], service: ApprovalService) {
      const seen = new Set<string>();
      const failures: string[] = [];
      for (const recipient of recipients) {
        if (recipient.channel !== "email") continue;
        const email = recipient.target.trim();
        if (seen.has(email.toLowerCase())) continue;
        seen.add(email.toLowerCase());
        if (!isEmailAddress(email)) {
          failures.push(`${email}: not a single e-mail address`);
          continue;
        }
        try {
          await send(pause, email, service);
        } catch (error) {
          failures.push(`${email}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (failures.length > 0) {
        throw new CountersignError("internal_error", `E-mail: could not send to ${failures.join("; ")}`, {
          pauseId: pause.pause_id,
        });
      }
    },
    routes: (service) =>
      decisionRoutes({
        service,
        secret: options.secret,
        consumeToken: options.consumeToken,
        path,
        allowedOrigins: () => [service.baseUrl, ...(options.allowedOrigins ?? [])],
        now,
        log,
      }),
    async start(service) {
      followUps?.start(service);
    },
    async settled() {
      await followUps?.kick();
    },
    async stop() {
      await followUps?.stop();
      transporter.close();
    },
  };
}

function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL_ADDRESS.test(value);
}
