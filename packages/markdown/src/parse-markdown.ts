import type {
  Image,
  ImageReference,
  Link,
  LinkReference,
  Nodes,
  Parents,
  PhrasingContent,
  Root,
  RootContent,
} from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { MarkdownBlock, MarkdownDocument, MarkdownInline, TableAlign } from "./markdown-tree.ts";
import { safeHref } from "./safe-href.ts";

/** Containers nested deeper than this become plain text: no renderer recurses without end. */
const MAX_NESTING = 16;
/**
 * Budgets for shapes that make micromark slow (thousands of open `[` cost
 * seconds) or overflow the stack (thousands of nested quotes): a source
 * over one of them is shown verbatim, as a code block, instead.
 */
const MAX_BRACKETS = 2_000;
const MAX_LINE_NESTING = 32;
const MAX_INDENT = 128;

/**
 * Reads agent-written Markdown (CommonMark + GFM: tables, task lists,
 * strikethrough, autolinks, footnotes) with micromark, and keeps only what
 * is safe to show an approver: raw HTML stays visible text, links keep
 * only http(s) and mailto targets (any other link or image stays the text
 * the agent wrote), images become links to the picture (nothing is
 * fetched on sight).
 */
export function parseMarkdown(source: string): MarkdownDocument {
  const verbatim: MarkdownDocument = [{ kind: "code", text: source, language: null }];
  if (overBudget(source)) return verbatim;
  try {
    const root = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    return new TreeReader(source, collectDefinitions(root)).blocks(root.children, 0);
  } catch {
    // A stack overflow on a shape the budgets missed: show the characters, never fail the card.
    return verbatim;
  }
}

function overBudget(source: string): boolean {
  let brackets = 0;
  for (const character of source) if (character === "[" && ++brackets > MAX_BRACKETS) return true;
  return source.split("\n").some((line) => {
    const lead = /^[\s>*+\-\d.)]*/.exec(line)?.[0] ?? "";
    return lead.length > MAX_INDENT || (lead.match(/>|[*+-]\s|\d[.)]\s/g)?.length ?? 0) > MAX_LINE_NESTING;
  });
}

function collectDefinitions(root: Root): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: Nodes) => {
    if (node.type === "definition" && !found.has(node.identifier)) found.set(node.identifier, node.url);
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(root);
  return found;
}

class TreeReader {
  private readonly source: string;
  private readonly definitions: Map<string, string>;

  constructor(source: string, definitions: Map<string, string>) {
    this.source = source;
    this.definitions = definitions;
  }

  blocks(nodes: RootContent[], depth: number): MarkdownBlock[] {
    return nodes.flatMap((node) => this.block(node, depth));
  }

  private block(node: RootContent, depth: number): MarkdownBlock[] {
    if (depth > MAX_NESTING)
      return [{ kind: "paragraph", children: [{ kind: "text", text: plainText(node) }] }];
    switch (node.type) {
      case "heading":
        return [{ kind: "heading", depth: node.depth, children: this.inlines(node.children) }];
      case "paragraph":
        return [{ kind: "paragraph", children: this.inlines(node.children) }];
      case "thematicBreak":
        return [{ kind: "rule" }];
      case "code":
        return [{ kind: "code", text: node.value, language: node.lang ?? null }];
      case "html":
        // Raw HTML is shown as the characters the agent wrote, never interpreted.
        return [{ kind: "paragraph", children: [{ kind: "text", text: node.value }] }];
      case "blockquote":
        return [{ kind: "quote", children: this.blocks(node.children, depth + 1) }];
      case "list":
        return [
          {
            kind: "list",
            ordered: node.ordered === true,
            start: node.ordered ? (node.start ?? 1) : 1,
            tight: node.spread !== true && node.children.every((item) => item.spread !== true),
            items: node.children.map((item) => ({
              checked: item.checked ?? null,
              children: this.blocks(item.children, depth + 1),
            })),
          },
        ];
      case "table": {
        const [head, ...body] = node.children;
        const cells = (row: typeof head) => row?.children.map((cell) => this.inlines(cell.children)) ?? [];
        return [
          {
            kind: "table",
            align: (node.align ?? []).map((align): TableAlign => align ?? null),
            header: cells(head),
            rows: body.map(cells),
          },
        ];
      }
      case "footnoteDefinition":
        return [
          { kind: "paragraph", children: [{ kind: "text", text: `[^${node.label ?? node.identifier}]:` }] },
          ...this.blocks(node.children, depth + 1),
        ];
      case "definition":
        // Link reference definitions are resolved into their links; they show nothing themselves.
        return [];
      default:
        // Phrasing content at block level (does not happen with this parser) is kept as a paragraph.
        return [{ kind: "paragraph", children: [{ kind: "text", text: plainText(node) }] }];
    }
  }

  inlines(nodes: PhrasingContent[]): MarkdownInline[] {
    return nodes.flatMap((node) => this.inline(node));
  }

  private inline(node: PhrasingContent): MarkdownInline[] {
    switch (node.type) {
      case "text":
        return [{ kind: "text", text: node.value }];
      case "html":
        return [{ kind: "text", text: node.value }];
      case "inlineCode":
        return [{ kind: "code", text: node.value }];
      case "break":
        return [{ kind: "break" }];
      case "strong":
        return [{ kind: "strong", children: this.inlines(node.children) }];
      case "emphasis":
        return [{ kind: "emphasis", children: this.inlines(node.children) }];
      case "delete":
        return [{ kind: "delete", children: this.inlines(node.children) }];
      case "link":
        return this.link(node, node.url);
      case "linkReference":
        return this.link(node, this.definitions.get(node.identifier) ?? "");
      case "image":
        return this.image(node, node.url);
      case "imageReference":
        return this.image(node, this.definitions.get(node.identifier) ?? "");
      case "footnoteReference":
        return [{ kind: "text", text: `[^${node.label ?? node.identifier}]` }];
      default:
        return [{ kind: "text", text: plainText(node) }];
    }
  }

  /** A link with a refused target is shown as the characters the agent wrote: the approver sees the attempt. */
  private link(node: Link | LinkReference, url: string): MarkdownInline[] {
    const href = safeHref(url);
    if (!href) return this.asWritten(node);
    return [{ kind: "link", href, image: false, children: this.inlines(node.children) }];
  }

  /** Pictures are never loaded inline (tracking pixels, spoofed screenshots): they become a link. */
  private image(node: Image | ImageReference, url: string): MarkdownInline[] {
    const href = safeHref(url);
    if (!href) return this.asWritten(node);
    const alt = node.alt?.trim();
    return [
      {
        kind: "link",
        href,
        image: true,
        children: [{ kind: "text", text: alt ? `Image: ${alt}` : "Image" }],
      },
    ];
  }

  private asWritten(node: Nodes): MarkdownInline[] {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    const text = start === undefined || end === undefined ? plainText(node) : this.source.slice(start, end);
    return [{ kind: "text", text }];
  }
}

/** The words of any node, for text kept without its structure. */
function plainText(node: Nodes | Parents): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("alt" in node && typeof node.alt === "string") return node.alt;
  if ("children" in node) return (node.children as Nodes[]).map(plainText).join(" ");
  return "";
}
