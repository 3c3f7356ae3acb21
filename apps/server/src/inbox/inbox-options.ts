import type { Logger, Store } from "@countersign/core/server";
import type { WebPushOptions } from "../push/push-options.ts";

/** What `sendSignInLink` gets: the e-mail channel turns it into a message. */
export interface SignInLinkMessage {
  identity: string;
  /** Where to send it. */
  email: string;
  /** The one-time link; whoever holds it can sign in until `expiresAt`. */
  url: string;
  expiresAt: string;
}

export interface InboxOptions {
  /** The server's store (sessions keep their secret in its settings; the audit view reads it). */
  store: Store;
  /** Folder with the built inbox. Default: `apps/inbox/dist` beside this package. */
  staticDir?: string;
  /** How long a sign-in lasts, in seconds. Default 12 hours. */
  sessionTtlSeconds?: number;
  /** How long a one-time sign-in link works, in seconds. Default 15 minutes. */
  signInLinkTtlSeconds?: number;
  /** Delivers a sign-in link (the e-mail channel plugs its mailer in). Without one the inbox offers no e-mail sign-in. */
  sendSignInLink?: (message: SignInLinkMessage) => Promise<void>;
  /** More origins allowed to send decisions, e.g. when a proxy rewrites `Host`. */
  allowedOrigins?: string[];
  /** Web Push notifications to approvers who opt in on a device (see docs/inbox.md). Default on; `false` turns it off. */
  push?: WebPushOptions | false;
  now?: () => Date;
  log?: Logger;
}
