import { constantTimeEqual, mac } from "./signed-token.ts";

/**
 * A CSRF token bound to one subject (a session, an e-mail link): an HMAC,
 * so it needs no storage and dies with its subject. A cross-site page can
 * neither read it nor compute it.
 */
export function csrfTokenFor(secret: string, subject: string): string {
  return mac(secret, "csrf.v1", subject);
}

export function isValidCsrfToken(secret: string, subject: string, presented: string): boolean {
  return constantTimeEqual(presented, csrfTokenFor(secret, subject));
}
