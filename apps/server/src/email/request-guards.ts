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
 * send `Sec-Fetch-Site` and `Origin` with a form POST and no page can forge
 * them; an `Origin: null` (privacy modes) counts only with `Sec-Fetch-Site:
 * same-origin`. A request with neither header is not from a browser page and
 * still needs the link and the CSRF token.
 */
export function isSameOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  if (origin === "null") return site === "same-origin";
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
