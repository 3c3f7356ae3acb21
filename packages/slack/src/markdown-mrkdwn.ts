import { inlineText, type MarkdownBlock, type MarkdownInline, parseMarkdown } from "@countersign/markdown";
import { escapeMrkdwn } from "./escape-mrkdwn.ts";

/**
 * Agent-written Markdown (an action's `body`) as Slack mrkdwn, one string
 * per top-level block so a card can stop at a block boundary.
 *
 * Every character the agent wrote goes through `escapeMrkdwn`: `<!channel>`,
 * `<@U…>`, `<#C…>` and `<url|label>` cannot form, `@here` cannot ping, and
 * `*_~\`` are look-alikes, so only the formatting added here (from the
 * parsed structure) is live. Links are neutralised too: Slack shows
 * `label (https://…)` as text, never a clickable label hiding its target;
 * the card's "Open in inbox" is the way to follow them. Tables become a
 * monospaced block, since mrkdwn has none.
 */
export function markdownToMrkdwnBlocks(source: string): string[] {
  return parseMarkdown(source)
    .map((block) => blockText(block, ""))
    .filter((text) => text.trim() !== "");
}

function blockText(block: MarkdownBlock, indent: string): string {
  switch (block.kind) {
    case "heading":
      // The heading is bold already; bold inside it would close the outer pair.
      return `${indent}${wrap("*", inlines(withoutStrong(block.children)))}`;
    case "paragraph":
      return prefixLines(inlines(block.children), indent);
    case "rule":
      return `${indent}\u2014\u2014\u2014`;
    case "code":
      return preformatted(block.text);
    case "quote":
      return block.children
        .map((child) => blockText(child, ""))
        .join("\n")
        .split("\n")
        .map((line) => `${indent}> ${line}`)
        .join("\n");
    case "list":
      return block.items
        .map((item, index) => {
          const marker = block.ordered ? `${block.start + index}.` : "\u2022";
          const box = item.checked === null ? "" : item.checked ? "\u2611 " : "\u2610 ";
          const inner = item.children.map((child) => blockText(child, `${indent}    `)).join("\n");
          return `${indent}${marker} ${box}${inner.trimStart()}`;
        })
        .join("\n");
    case "table": {
      const rows = [block.header, ...block.rows].map((row) =>
        row.map((cell) => inlineText(cell).replace(/\n/g, " ")),
      );
      const widths =
        rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
      const lines = rows.map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join(" | ")
          .trimEnd(),
      );
      lines.splice(1, 0, widths.map((width) => "-".repeat(Math.max(width, 1))).join("-|-"));
      return preformatted(lines.join("\n"));
    }
  }
}

function withoutStrong(nodes: MarkdownInline[]): MarkdownInline[] {
  return nodes.flatMap((node) => (node.kind === "strong" ? withoutStrong(node.children) : [node]));
}

function inlines(nodes: MarkdownInline[]): string {
  return nodes.map(inline).join("");
}

function inline(node: MarkdownInline): string {
  switch (node.kind) {
    case "text":
      // Emoji codes too: an agent's `:white_check_mark: Approved` is not Slack's to draw.
      return escapeMrkdwn(node.text).replace(/:([^\s:]+):/g, ":\u200B$1:");
    case "break":
      return "\n";
    case "code":
      return `\`${inertCode(node.text)}\``;
    case "strong":
      return wrap("*", inlines(node.children));
    case "emphasis":
      return wrap("_", inlines(node.children));
    case "delete":
      return wrap("~", inlines(node.children));
    case "link": {
      const words = inlines(node.children);
      const target = escapeMrkdwn(node.href.replace(/^mailto:/, ""));
      return words === target ? words : `${words} (${target})`;
    }
  }
}

/** Slack only styles a marker pair that hugs its words: keep the spaces outside. */
function wrap(marker: string, text: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
  const [, before = "", words = "", after = ""] = match ?? [];
  return words ? `${before}${marker}${words}${marker}${after}` : text;
}

/** Code keeps its characters (no look-alikes) but still cannot mention, link or close its fence. */
function inertCode(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(/@(channel|here|everyone)/gi, "@\u200B$1")
    .replaceAll("`", "\u02CB");
}

function preformatted(text: string): string {
  return `\`\`\`\n${inertCode(text)}\n\`\`\``;
}

function prefixLines(text: string, prefix: string): string {
  return prefix ? text.replace(/^/gm, prefix) : text;
}
