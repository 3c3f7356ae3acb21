import type { Logger } from "@countersign/core/server";
import type { SMTPTransportOptions } from "nodemailer";
import type { FollowUpStore } from "./follow-up-sender.ts";

export interface EmailChannelOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered), `smtps://…:465` (TLS), or nodemailer SMTP options. */
  smtp: string | SMTPTransportOptions;
  /** The sender, e.g. `Countersign <approvals@acme.com>`. */
  from: string;
  /** HMAC secret for the links and CSRF tokens (at least 32 characters); keep it across restarts and instances (`loadWebSecret`). */
  secret: string;
  /**
   * Spends a link's token id once: `true` the first time, `false` ever after
   * (`store.consumeToken` in the server). Called only when a person confirms a
   * decision, never when a link is opened.
   */
  consumeToken: (tokenId: string, expiresAt: string) => Promise<boolean>;
  /**
   * Where the "Decided: approved by Bob" follow-ups are kept until sent (the
   * server's `store`). Without it, no follow-ups are sent.
   */
  followUps?: FollowUpStore;
  /** How often to look for follow-ups nobody sent yet (after a restart, or owed by another instance). Default 10 s. */
  followUpIntervalMs?: number;
  /** Links expire with the pause, but never later than this many seconds after sending. Default 7 days. */
  maxLinkAgeSeconds?: number;
  /** Where the confirmation page is mounted. Default `/email/decide`. */
  path?: string;
  /** More origins allowed to post the confirmation form (besides the server's own), e.g. behind a proxy. */
  allowedOrigins?: string[];
  now?: () => Date;
  log?: Logger;
}
