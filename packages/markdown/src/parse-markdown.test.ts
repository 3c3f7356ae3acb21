import { describe, expect, it } from "vitest";
import { parseMarkdown } from "./parse-markdown.ts";
import { safeHref } from "./safe-href.ts";

describe("parseMarkdown", () => {
  it("reads a GFM table with its alignment, cells kept as inline content", () => {
    const [table] = parseMarkdown(
      "| Item | Qty | Price |\n|:--|:-:|--:|\n| **Widget** | 2 | $10 |\n| Gadget | 1 | $5 |",
    );
    expect(table).toEqual({
      kind: "table",
      align: ["left", "center", "right"],
      header: [
        [{ kind: "text", text: "Item" }],
        [{ kind: "text", text: "Qty" }],
        [{ kind: "text", text: "Price" }],
      ],
      rows: [
        [
          [{ kind: "strong", children: [{ kind: "text", text: "Widget" }] }],
          [{ kind: "text", text: "2" }],
          [{ kind: "text", text: "$10" }],
        ],
        [[{ kind: "text", text: "Gadget" }], [{ kind: "text", text: "1" }], [{ kind: "text", text: "$5" }]],
      ],
    });
  });

  it("keeps nested lists inside their item and the source's first number", () => {
    const [list] = parseMarkdown("3. third\n   1. inner one\n   2. inner two\n4. fourth");
    expect(list).toMatchObject({ kind: "list", ordered: true, start: 3, tight: true });
    if (list?.kind !== "list") throw new Error("not a list");
    expect(list.items).toHaveLength(2);
    expect(list.items[0]?.children[1]).toMatchObject({ kind: "list", ordered: true, start: 1 });
  });

  it("turns images into links to the picture; an image with a refused URL stays the text written", () => {
    expect(parseMarkdown("![invoice scan](https://example.com/scan.png) ![x](javascript:alert(1))")).toEqual([
      {
        kind: "paragraph",
        children: [
          {
            kind: "link",
            href: "https://example.com/scan.png",
            image: true,
            children: [{ kind: "text", text: "Image: invoice scan" }],
          },
          { kind: "text", text: " " },
          { kind: "text", text: "![x](javascript:alert(1))" },
        ],
      },
    ]);
  });

  it("shows a javascript:, data: or relative link as the text written, never as a link", () => {
    for (const target of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>",
      "/relative",
    ]) {
      expect(parseMarkdown(`See [click me](${target}) now`)).toEqual([
        {
          kind: "paragraph",
          children: [
            { kind: "text", text: "See " },
            { kind: "text", text: `[click me](${target})` },
            { kind: "text", text: " now" },
          ],
        },
      ]);
    }
    // Reference-style links go through the same allow-list.
    expect(parseMarkdown("[go][r]\n\n[r]: javascript:alert(1)")).toEqual([
      { kind: "paragraph", children: [{ kind: "text", text: "[go][r]" }] },
    ]);
  });

  it("shows raw HTML as the characters the agent wrote", () => {
    expect(parseMarkdown('<img src=x onerror="alert(1)">')).toEqual([
      { kind: "paragraph", children: [{ kind: "text", text: '<img src=x onerror="alert(1)">' }] },
    ]);
    const inline = parseMarkdown('Pay <a href="javascript:x">here</a>');
    expect(inline).toEqual([
      {
        kind: "paragraph",
        children: [
          { kind: "text", text: "Pay " },
          { kind: "text", text: '<a href="javascript:x">' },
          { kind: "text", text: "here" },
          { kind: "text", text: "</a>" },
        ],
      },
    ]);
  });

  it("shows absurdly nested or bracketed sources verbatim instead of overflowing the stack", () => {
    for (const source of [
      `${"> ".repeat(10_000)}deep`,
      Array.from({ length: 200 }, (_, index) => `${"  ".repeat(index)}- deep`).join("\n"),
      `${"[".repeat(10_000)}deep`,
    ]) {
      expect(parseMarkdown(source)).toEqual([{ kind: "code", text: source, language: null }]);
    }
    // Ordinary nesting is still read as structure.
    expect(parseMarkdown("> > > quoted")[0]).toMatchObject({ kind: "quote" });
  });
});

describe("safeHref", () => {
  it("accepts only absolute http, https and mailto URLs", () => {
    expect(safeHref("https://example.com/a")).toBe("https://example.com/a");
    expect(safeHref("mailto:ops@example.com")).toBe("mailto:ops@example.com");
    expect(safeHref("java\tscript:alert(1)")).toBeNull();
    expect(safeHref("vbscript:msgbox")).toBeNull();
    expect(safeHref("//evil.example")).toBeNull();
  });
});
