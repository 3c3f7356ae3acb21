import { describe, expect, it } from "vitest";
import { parseMarkdown } from "./parse-markdown.ts";
import { renderMarkdownHtml } from "./render-html.ts";
import { renderMarkdownText } from "./render-text.ts";

const html = (source: string) => renderMarkdownHtml(parseMarkdown(source));
const text = (source: string) => renderMarkdownText(parseMarkdown(source));

describe("renderMarkdownHtml", () => {
  it("renders a GFM table as a table", () => {
    expect(html("| A | B |\n|---|--:|\n| 1 | 2 |")).toBe(
      '<table><thead><tr><th>A</th><th align="right">B</th></tr></thead><tbody><tr><td>1</td><td align="right">2</td></tr></tbody></table>',
    );
  });

  it("numbers nested and continued ordered lists as the source does", () => {
    expect(html("7. seven\n   1. inner\n8. eight")).toBe(
      '<ol start="7"><li>seven\n<ol><li>inner</li></ol></li><li>eight</li></ol>',
    );
  });

  it("escapes HTML the agent wrote, in text, code and link targets", () => {
    const rendered = html(
      '<script>alert(1)</script>\n\n`<b>` and [x](https://example.com/"onmouseover="alert(1))\n\n```\n</pre><script>\n```',
    );
    expect(rendered).not.toMatch(/<script|<b>|"onmouseover/);
    expect(rendered).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(rendered).toContain('href="https://example.com/%22onmouseover=%22alert(1)"');
  });

  it("never writes a javascript: link or an <img>", () => {
    const rendered = html("[a](javascript:alert(1)) ![b](https://example.com/b.png) <img src=x>");
    expect(rendered).not.toMatch(/href="javascript:|<img/i);
    expect(rendered).toContain("[a](javascript:alert(1))");
    expect(rendered).toContain(
      '<a href="https://example.com/b.png" rel="noopener noreferrer nofollow" target="_blank">Image: b</a>',
    );
  });

  it("shifts headings and adds the given inline styles", () => {
    expect(renderMarkdownHtml(parseMarkdown("# Why"), { headingOffset: 2, styles: { h: "margin:0" } })).toBe(
      '<h3 style="margin:0">Why</h3>',
    );
  });
});

describe("renderMarkdownText", () => {
  it("leaves no markup characters and writes links with their URL", () => {
    expect(text("## Why **Jane Doe**\n\nSee [the order](https://example.com/o/1).")).toBe(
      "Why Jane Doe\n\nSee the order (https://example.com/o/1).",
    );
  });

  it("lays a table out in columns and numbers nested lists", () => {
    expect(text("| Item | Qty |\n|---|---|\n| Widget | 12 |")).toBe(
      "Item   | Qty\n-------|----\nWidget | 12",
    );
    expect(text("1. one\n   - a\n   - b\n2. two")).toBe("1. one\n   - a\n   - b\n2. two");
  });
});
