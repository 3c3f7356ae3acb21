import type { ApprovalService, Logger, Store } from "@countersign/core/server";
import type { WebPush } from "../push/start-web-push.ts";
import type { SignInLinkMessage } from "./inbox-options.ts";

/** What the inbox's routes share. */
export interface InboxContext {
  store: Store;
  service: ApprovalService;
  /** The web secret (web-session/web-secret.ts): CSRF tokens and sign-in links. */
  secret: string;
  now: () => Date;
  log: Logger;
  /** The server's public URL (read per request: `listen()` may fill it in late). */
  baseUrl: () => string;
  sessionTtlSeconds: number;
  signInLinkTtlSeconds: number;
  /** Mails a sign-in link; `null` when no mailer is configured (the inbox then offers key sign-in only). */
  sendSignInLink: ((message: SignInLinkMessage) => Promise<void>) | null;
  allowedOrigins: readonly string[];
  /** Web Push to approvers' devices; `null` when turned off. */
  push: WebPush | null;
}

/** Cookies get `Secure` (and the `__Host-` prefix) when the inbox is served over HTTPS. */
export function servedOverHttps(context: InboxContext): boolean {
  return context.baseUrl().startsWith("https:");
}
