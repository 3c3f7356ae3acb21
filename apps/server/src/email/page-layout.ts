import { createHash } from "node:crypto";
import { escapeHtml } from "./escape-html.ts";

/** A few of the inbox's rules (apps/inbox/src/styles.css), so the page looks like the rest of Countersign. */
const STYLE = `
:root{--text:#16181d;--muted:#4a505c;--background:#f4f5f7;--surface:#fff;--border:#c9ced6;--accent:#0b57d0;--approve:#0f6b2f;--reject:#b3261e;--focus:#0b57d0;--notice-bg:#fff4d6;--notice-text:#5c3c00;--code-bg:#eef0f3;color-scheme:light dark;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--text);background:var(--background)}
@media (prefers-color-scheme:dark){:root{--text:#eceff4;--muted:#b8bfcc;--background:#121418;--surface:#1c1f26;--border:#3a404c;--accent:#8ab4f8;--approve:#1e8e3e;--reject:#d93025;--focus:#8ab4f8;--notice-bg:#3d3000;--notice-text:#ffe08a;--code-bg:#262a33}}
*{box-sizing:border-box}body{margin:0}main{max-width:44rem;margin:0 auto;padding:1rem}
h1{font-size:1.45rem;line-height:1.25;margin:.25rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:1.5rem 0 .5rem}
a{color:var(--accent)}:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
pre{background:var(--code-bg);padding:.75rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.9em}
.card{background:var(--surface);border:1px solid var(--border);border-radius:8px;padding:1rem 1.25rem}
.eyebrow{margin:0;color:var(--muted);font-size:.85rem;text-transform:uppercase;letter-spacing:.04em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.75rem 0}dt{color:var(--muted);font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.risk{display:inline-block;padding:0 .5rem;border-radius:1rem;color:#fff;background:var(--muted);font-weight:600}
.risk-low{background:var(--approve)}.risk-medium{background:#8a5a00}.risk-high,.risk-critical{background:var(--reject)}
fieldset{border:1px solid var(--border);border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem}legend{font-weight:600;padding:0 .25rem}
.choice{display:flex;gap:.5rem;align-items:flex-start;margin:.4rem 0}.choice input{margin-top:.35rem}
label{font-weight:600}textarea{display:block;width:100%;min-height:6rem;margin-top:.25rem;padding:.5rem;font:inherit;color:inherit;background:var(--surface);border:1px solid var(--border);border-radius:6px}
.hint{color:var(--muted);font-size:.9rem;margin:.25rem 0 0}
.error{background:var(--notice-bg);color:var(--notice-text);border-radius:6px;padding:.5rem .75rem;font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1.25rem;border-radius:6px;border:2px solid transparent;cursor:pointer;color:#fff}
.approve{background:var(--approve)}.reject{background:var(--reject)}
.notice{background:var(--notice-bg);color:var(--notice-text);border-radius:6px;padding:.75rem 1rem}
.markdown{overflow-wrap:anywhere}.markdown table{border-collapse:collapse;display:block;overflow-x:auto}.markdown th,.markdown td{border:1px solid var(--border);padding:.25rem .5rem;text-align:left}.markdown blockquote{margin:.5rem 0;padding:0 .75rem;border-left:4px solid var(--border)}
`;

/**
 * No script (but the landing page's own constant one), only this page's own
 * style, forms posting to ourselves, no framing (click-jacking of the
 * buttons), and no referrer to any other site. (`same-origin`, not
 * `no-referrer`: with `no-referrer` browsers send `Origin: null` on the form
 * post, and the Origin check needs the real one.) Never cached: each page
 * shows the pause as it is now.
 */
const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": contentSecurityPolicy(null),
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
  "x-robots-tag": "noindex, nofollow",
};

function contentSecurityPolicy(script: string | null): string {
  const scriptSource = script === null ? "" : `; script-src '${sha256(script)}'`;
  return `default-src 'none'; style-src '${sha256(STYLE)}'${scriptSource}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

function sha256(content: string): string {
  return `sha256-${createHash("sha256").update(content).digest("base64")}`;
}

/**
 * A whole page; `title` is plain text, `main` is HTML the caller has already
 * escaped. `script`, a constant the server wrote (never anything from a
 * request), runs at the end of the body and is the only script the page's
 * policy allows (by hash).
 */
export function htmlPage(status: number, title: string, main: string, script?: string): Response {
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)} · Countersign</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${main}
</main>${script === undefined ? "" : `\n<script>${script}</script>`}
</body>
</html>
`;
  const headers =
    script === undefined
      ? PAGE_HEADERS
      : { ...PAGE_HEADERS, "content-security-policy": contentSecurityPolicy(script) };
  return new Response(page, { status, headers });
}

/** A page that only tells the person something: a refused link, a decision made. */
export function messagePage(status: number, title: string, paragraphs: string[]): Response {
  const body = paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join("\n");
  return htmlPage(
    status,
    title,
    `<div class="card" role="status">\n<h1>${escapeHtml(title)}</h1>\n${body}\n</div>`,
  );
}
