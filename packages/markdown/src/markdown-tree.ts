/**
 * The safe tree every approver surface renders. It holds no HTML and no
 * URL outside the allow-list: raw HTML in the source is plain text here,
 * links point only at http, https and mailto, images are links.
 */
export type MarkdownInline =
  | { kind: "text"; text: string }
  | { kind: "strong" | "emphasis" | "delete"; children: MarkdownInline[] }
  | { kind: "code"; text: string }
  | { kind: "break" }
  /** `href` passed `safeHref`; `image` marks a picture shown as a link to it. */
  | { kind: "link"; href: string; image: boolean; children: MarkdownInline[] };

export type TableAlign = "left" | "right" | "center" | null;

export interface MarkdownListItem {
  /** GFM task item: true or false; null for a plain item. */
  checked: boolean | null;
  children: MarkdownBlock[];
}

export type MarkdownBlock =
  | { kind: "heading"; depth: 1 | 2 | 3 | 4 | 5 | 6; children: MarkdownInline[] }
  | { kind: "paragraph"; children: MarkdownInline[] }
  /** `start` is the first number of an ordered list (1 unless the source says otherwise). */
  /** `tight`: no blank lines between items, so their paragraphs are shown as bare lines. */
  | { kind: "list"; ordered: boolean; start: number; tight: boolean; items: MarkdownListItem[] }
  | { kind: "code"; text: string; language: string | null }
  | { kind: "quote"; children: MarkdownBlock[] }
  | { kind: "table"; align: TableAlign[]; header: MarkdownInline[][]; rows: MarkdownInline[][][] }
  | { kind: "rule" };

export type MarkdownDocument = MarkdownBlock[];
