import type { MarkdownBlock, MarkdownDocument, MarkdownInline } from "./markdown-tree.ts";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in HTML element content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** Elements the HTML renderer writes; a style may be given for each (e-mail clients ignore style sheets). */
export type HtmlElement =
  | "p"
  | "h"
  | "ul"
  | "ol"
  | "li"
  | "pre"
  | "code"
  | "blockquote"
  | "table"
  | "th"
  | "td"
  | "hr"
  | "a";

export interface HtmlOptions {
  /** Added to every heading level: 2 turns `#` into `<h3>` (the page owns h1 and h2). Default 0. */
  headingOffset?: number;
  /** Inline `style` attribute per element (trusted: written by Countersign, not the agent). */
  styles?: Partial<Record<HtmlElement, string>>;
}

/**
 * The safe tree as HTML. Every piece of text is escaped, every `href`
 * already passed the allow-list, and no attribute comes from the agent
 * except an escaped `href`, a number for `start` and an alignment keyword.
 */
export function renderMarkdownHtml(document: MarkdownDocument, options: HtmlOptions = {}): string {
  const offset = options.headingOffset ?? 0;
  const styles = options.styles ?? {};
  const open = (tag: string, element: HtmlElement, attributes = "") => {
    const style = styles[element];
    return `<${tag}${attributes}${style ? ` style="${escapeHtml(style)}"` : ""}>`;
  };

  const inlines = (nodes: MarkdownInline[]): string => nodes.map(inline).join("");
  function inline(node: MarkdownInline): string {
    switch (node.kind) {
      case "text":
        return escapeHtml(node.text);
      case "code":
        return `${open("code", "code")}${escapeHtml(node.text)}</code>`;
      case "break":
        return "<br>";
      case "strong":
        return `<strong>${inlines(node.children)}</strong>`;
      case "emphasis":
        return `<em>${inlines(node.children)}</em>`;
      case "delete":
        return `<del>${inlines(node.children)}</del>`;
      case "link":
        return `${open("a", "a", ` href="${escapeHtml(node.href)}" rel="noopener noreferrer nofollow" target="_blank"`)}${inlines(node.children)}</a>`;
    }
  }

  const blocks = (nodes: MarkdownBlock[]): string => nodes.map(block).join("\n");
  function block(node: MarkdownBlock): string {
    switch (node.kind) {
      case "heading": {
        const level = Math.min(node.depth + offset, 6);
        return `${open(`h${level}`, "h")}${inlines(node.children)}</h${level}>`;
      }
      case "paragraph":
        return `${open("p", "p")}${inlines(node.children)}</p>`;
      case "rule":
        return open("hr", "hr");
      case "code":
        return `${open("pre", "pre")}${escapeHtml(node.text)}</pre>`;
      case "quote":
        return `${open("blockquote", "blockquote")}${blocks(node.children)}</blockquote>`;
      case "list": {
        const tag = node.ordered ? "ol" : "ul";
        const start = node.ordered && node.start !== 1 ? ` start="${Number(node.start)}"` : "";
        const items = node.items.map((item) => {
          const box = item.checked === null ? "" : item.checked ? "☑ " : "☐ ";
          return `${open("li", "li")}${box}${node.tight ? tightItem(item.children) : blocks(item.children)}</li>`;
        });
        return `${open(tag, tag, start)}${items.join("")}</${tag}>`;
      }
      case "table": {
        const align = (index: number) => {
          const value = node.align[index];
          return value ? ` align="${value}"` : "";
        };
        const head = node.header.map(
          (cell, index) => `${open("th", "th", align(index))}${inlines(cell)}</th>`,
        );
        const rows = node.rows.map(
          (row) =>
            `<tr>${row.map((cell, index) => `${open("td", "td", align(index))}${inlines(cell)}</td>`).join("")}</tr>`,
        );
        return `${open("table", "table")}<thead><tr>${head.join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
      }
    }
  }

  /** A tight list's paragraphs are bare text, as in CommonMark's own HTML. */
  function tightItem(nodes: MarkdownBlock[]): string {
    return nodes
      .map((child) => (child.kind === "paragraph" ? inlines(child.children) : block(child)))
      .join("\n");
  }

  return blocks(document);
}
