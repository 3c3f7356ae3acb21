import type { ApprovalService, Logger, Store } from "@countersign/core/server";
import type { SignInLinkMessage } from "./inbox-options.ts";

/** What the inbox's routes share. */
export interface InboxContext {
  store: Store;
  service: ApprovalService;
  /** HMAC secret for session cookies, CSRF tokens and sign-in links. */
  secret: string;
  now: () => Date;
  log: Logger;
  /** The server's public URL (read per request: `listen()` may fill it in late). */
  baseUrl: () => string;
  sessionTtlSeconds: number;
  signInLinkTtlSeconds: number;
  sendSignInLink: (message: SignInLinkMessage) => Promise<void>;
  allowedOrigins: readonly string[];
}

/** Cookies get `Secure` (and the `__Host-` prefix) when the inbox is served over HTTPS. */
export function servedOverHttps(context: InboxContext): boolean {
  return context.baseUrl().startsWith("https:");
}
