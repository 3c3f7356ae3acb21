import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref } from "./markdown.ts";

describe("the preview Markdown reader", () => {
  it("reads headings, paragraphs, lists, quotes, code and rules", () => {
    const blocks = parseMarkdown(
      "# Refund\n\nCustomer **Jane** asked\nfor a *full* refund.\n\n- one\n- `two`\n\n1. first\n2. second\n\n> quoted\n\n```\ncode <b>\n```\n\n---",
    );
    expect(blocks.map((block) => block.kind)).toEqual([
      "heading",
      "paragraph",
      "list",
      "list",
      "quote",
      "code",
      "rule",
    ]);
    expect(blocks[1]).toEqual({
      kind: "paragraph",
      children: [
        { kind: "text", text: "Customer " },
        { kind: "strong", children: [{ kind: "text", text: "Jane" }] },
        { kind: "text", text: " asked for a " },
        { kind: "em", children: [{ kind: "text", text: "full" }] },
        { kind: "text", text: " refund." },
      ],
    });
    expect(blocks[3]).toMatchObject({ kind: "list", ordered: true });
    expect(blocks[5]).toEqual({ kind: "code", text: "code <b>" });
  });

  it("keeps raw HTML as text", () => {
    expect(parseMarkdown('<img src=x onerror="alert(1)">')).toEqual([
      { kind: "paragraph", children: [{ kind: "text", text: '<img src=x onerror="alert(1)">' }] },
    ]);
  });

  it("links only to http(s) and mailto; anything else stays text", () => {
    expect(parseInline("[docs](https://example.com/a)")).toEqual([
      { kind: "link", href: "https://example.com/a", children: [{ kind: "text", text: "docs" }] },
    ]);
    expect(parseInline("[x](javascript:alert(1))")[0]).toMatchObject({ kind: "text" });
    expect(safeHref("JaVaScRiPt:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,<script>")).toBeNull();
    expect(safeHref("/relative")).toBeNull();
    expect(safeHref("mailto:ops@example.com")).toBe("mailto:ops@example.com");
  });
});
