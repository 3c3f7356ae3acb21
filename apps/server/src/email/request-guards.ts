import { constantTimeEqual, hmac } from "./link-token.ts";

const CSRF_PURPOSE = "countersign.email.csrf.v1";

/** The confirmation form's CSRF token: an HMAC of the link's token id, so it needs no storage. */
export function csrfTokenFor(secret: string, tokenId: string): string {
  return hmac(secret, CSRF_PURPOSE, tokenId);
}

export function isValidCsrfToken(secret: string, tokenId: string, presented: string): boolean {
  return constantTimeEqual(presented, csrfTokenFor(secret, tokenId));
}

/**
 * Whether a browser says the form was posted from our own pages. Browsers
 * send `Origin` with every form POST; a request without it (and without a
 * cross-site `Sec-Fetch-Site`) is not a browser page and still needs the
 * CSRF token and the link.
 */
export function isSameOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) {
    const site = request.headers.get("sec-fetch-site");
    return site === null || site === "same-origin" || site === "none";
  }
  const allowed = new Set([new URL(request.url).origin, ...allowedOrigins.map(originOf)]);
  return allowed.has(origin);
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
