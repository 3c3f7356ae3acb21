import type { MarkdownBlock, MarkdownDocument, MarkdownInline } from "./markdown-tree.ts";

/**
 * The safe tree as plain text for the text part of an e-mail: no markup
 * characters left for a reader to decode, links written as `words (url)`,
 * lists numbered as the source numbers them, tables as aligned rows.
 */
export function renderMarkdownText(document: MarkdownDocument): string {
  return blocks(document, "").trimEnd();
}

function blocks(nodes: MarkdownBlock[], indent: string, separator = "\n\n"): string {
  return nodes
    .map((node) => block(node, indent))
    .filter((text) => text !== "")
    .join(separator);
}

function block(node: MarkdownBlock, indent: string): string {
  switch (node.kind) {
    case "heading":
    case "paragraph":
      return prefixLines(inlineText(node.children), indent);
    case "rule":
      return `${indent}----`;
    case "code":
      return prefixLines(node.text, `${indent}    `);
    case "quote":
      return blocks(node.children, `${indent}> `);
    case "list": {
      const items = node.items.map((item, index) => {
        const marker = node.ordered ? `${node.start + index}. ` : "- ";
        const box = item.checked === null ? "" : item.checked ? "[x] " : "[ ] ";
        const inner = blocks(item.children, " ".repeat(marker.length), node.tight ? "\n" : "\n\n").replace(
          /^\s+/,
          "",
        );
        return `${indent}${marker}${box}${inner.replace(/\n/g, `\n${indent}`)}`;
      });
      return items.join(node.tight ? "\n" : "\n\n");
    }
    case "table":
      return tableText(node.header, node.rows, indent);
  }
}

function tableText(header: MarkdownInline[][], rows: MarkdownInline[][][], indent: string): string {
  const lines = [header, ...rows].map((row) => row.map((cell) => inlineText(cell).replace(/\n/g, " ")));
  const widths =
    lines[0]?.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? "").length))) ?? [];
  const format = (line: string[]) =>
    `${indent}${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")}`.trimEnd();
  const [head, ...body] = lines;
  return [
    format(head ?? []),
    `${indent}${widths.map((width) => "-".repeat(Math.max(width, 1))).join("-|-")}`,
    ...body.map(format),
  ].join("\n");
}

/** The words of inline content, links as `words (url)`. */
export function inlineText(nodes: MarkdownInline[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case "text":
        case "code":
          return node.text;
        case "break":
          return "\n";
        case "link": {
          const words = inlineText(node.children);
          return words === node.href || `mailto:${words}` === node.href ? words : `${words} (${node.href})`;
        }
        default:
          return inlineText(node.children);
      }
    })
    .join("");
}

function prefixLines(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}
