const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/**
 * The URL when it is absolute http, https or mailto; anything else
 * (`javascript:`, `data:`, `vbscript:`, relative paths) is refused.
 * Parsing with `URL` first means case and whitespace tricks
 * (`JaVaScRiPt:`, `java\tscript:`) are judged as a browser would judge them.
 */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href.trim());
    return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
