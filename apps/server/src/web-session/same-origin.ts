/**
 * The one same-origin rule of every web form and fetch that changes
 * something (the inbox API, the e-mail confirmation form). Browsers send
 * `Sec-Fetch-Site` and `Origin` and no page can forge them: a request a
 * browser marks as cross-site is refused; `Origin: null` (privacy modes)
 * counts only with `Sec-Fetch-Site: same-origin`. A request with neither
 * header is not from a browser page and must still carry its CSRF token.
 */
export function isSameOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return false;
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
