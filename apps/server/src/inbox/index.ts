export type { InboxContext } from "./inbox-context.ts";
export type { InboxOptions, SignInLinkMessage } from "./inbox-options.ts";
export { type MountedInbox, mountInbox } from "./mount-inbox.ts";
export { csrfToken, requireCsrfToken, requireSameOrigin } from "./session/csrf.ts";
export { requireSession, requireSessionForChange } from "./session/require-session.ts";
export { createSignInLink, redeemSignInToken, type SignInLink } from "./session/sign-in-links.ts";
