export { csrfTokenFor, isValidCsrfToken } from "./csrf.ts";
export { isSameOrigin } from "./same-origin.ts";
export { constantTimeEqual, mac, readToken, signToken } from "./signed-token.ts";
export { loadWebSecret } from "./web-secret.ts";
export {
  endWebSession,
  hashSessionToken,
  resumeWebSession,
  type SessionEnd,
  startWebSession,
  type WebRole,
  type WebSession,
} from "./web-sessions.ts";
