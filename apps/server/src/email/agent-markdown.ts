import {
  type HtmlOptions,
  parseMarkdown,
  renderMarkdownHtml,
  renderMarkdownText,
} from "@countersign/markdown";

/** Inline styles for mail clients, which drop style sheets; our own text, never the agent's. */
const MAIL_STYLES: HtmlOptions["styles"] = {
  p: "margin:0 0 8px",
  h: "font-size:15px;margin:12px 0 6px",
  pre: "background:#eef0f3;padding:12px;border-radius:6px;white-space:pre-wrap;word-break:break-word;font-family:Menlo,Consolas,monospace;font-size:13px;margin:0 0 8px",
  code: "background:#eef0f3;padding:0 3px;border-radius:3px;font-family:Menlo,Consolas,monospace;font-size:13px",
  blockquote: "margin:0 0 8px;padding:0 0 0 12px;border-left:4px solid #c9ced6;color:#4a505c",
  table: "border-collapse:collapse;margin:0 0 8px;font-size:14px",
  th: "border:1px solid #c9ced6;padding:4px 8px;background:#eef0f3;text-align:left",
  td: "border:1px solid #c9ced6;padding:4px 8px;vertical-align:top",
  ul: "margin:0 0 8px;padding-left:24px",
  ol: "margin:0 0 8px;padding-left:24px",
  a: "color:#0b57d0",
};

/**
 * The agent's Markdown `body` for the HTML part of the mail, through the
 * shared pipeline: escaped, links only to http(s)/mailto, images as links.
 * Headings start at h3 (the mail owns h1 and h2).
 */
export function bodyAsMailHtml(body: string): string {
  return renderMarkdownHtml(parseMarkdown(body), { headingOffset: 2, styles: MAIL_STYLES });
}

/** The same body for a page with its own style sheet (no inline styles: the page's CSP forbids them). */
export function bodyAsPageHtml(body: string): string {
  return renderMarkdownHtml(parseMarkdown(body), { headingOffset: 2 });
}

/** The same body for the text part: no markup left to decode, links as `words (url)`. */
export function bodyAsMailText(body: string): string {
  return renderMarkdownText(parseMarkdown(body));
}
