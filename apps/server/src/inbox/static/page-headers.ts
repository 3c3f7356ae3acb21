/**
 * Headers for the inbox page. The policy allows only the inbox's own scripts
 * and styles: even if agent text slipped through as markup, no inline script
 * or foreign resource would run. `no-referrer` keeps a sign-in link's URL to
 * ourselves; `frame-ancestors` stops click-jacking of the decision buttons.
 */
export const PAGE_HEADERS: Record<string, string> = {
  "content-security-policy": [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

/** Hashed file names change with their content, so a browser may keep them for a year. */
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";

/** The page itself is revalidated on every load, so a new build is picked up at once. */
export const REVALIDATE_CACHE = "no-cache";
