export type {
  MarkdownBlock,
  MarkdownDocument,
  MarkdownInline,
  MarkdownListItem,
  TableAlign,
} from "./markdown-tree.ts";
export { parseMarkdown } from "./parse-markdown.ts";
export { escapeHtml, type HtmlElement, type HtmlOptions, renderMarkdownHtml } from "./render-html.ts";
export { inlineText, renderMarkdownText } from "./render-text.ts";
export { safeHref } from "./safe-href.ts";
