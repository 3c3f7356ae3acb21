import { afterEach, describe, expect, it } from "vitest";
import { type EmailHarness, linksIn, openLink, startEmailHarness } from "./test-support/email-harness.ts";

let h: EmailHarness;
afterEach(async () => {
  await h?.close();
});

const BODY = [
  "## Why **Jane Doe**",
  "",
  "| Item | Qty | Price |",
  "|:--|:-:|--:|",
  "| Widget <b>XL</b> | 2 | $10 |",
  "",
  "3. check the PO",
  "   1. amount",
  "   2. payee",
  "4. pay",
  "",
  "![scan](https://example.com/scan.png) [details](javascript:alert(1)) [order](https://example.com/o/7)",
  "",
  '<img src=x onerror="alert(1)">',
].join("\n");

describe("the agent's Markdown body in the decision e-mail", () => {
  it("is rendered in the HTML part (table, nested numbered list, images as links) and plain in the text part", async () => {
    h = await startEmailHarness();
    const { pause, mails } = await h.openPause(["carol@example.com"], {
      action: { type: "payment", title: "Pay Acme", body: BODY, risk: "high" },
    });
    const [mail] = mails;
    const html = String(mail?.parsed.html);

    expect(html).toContain("<h4");
    expect(html).toContain("Why <strong>Jane Doe</strong></h4>");
    expect(html).toMatch(/<table[^>]*><thead><tr><th align="left"[^>]*>Item<\/th>/);
    expect(html).toContain("Widget &lt;b&gt;XL&lt;/b&gt;");
    expect(html).toMatch(/<ol start="3"[^>]*><li[^>]*>check the PO\n<ol[^>]*><li[^>]*>amount<\/li>/);
    expect(html).toMatch(/<a href="https:\/\/example.com\/scan.png"[^>]*>Image: scan<\/a>/);
    expect(html).toContain("[details](javascript:alert(1))");
    expect(html).not.toMatch(/href="javascript|<img|<b>XL/);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");

    const text = mail?.parsed.text ?? "";
    expect(text).toMatch(
      /Why Jane Doe\n\nItem +\| Qty \| Price\n-+\|-+\|-+\nWidget <b>XL<\/b> \| 2 +\| \$10\n/,
    );
    expect(text).toContain("3. check the PO\n   1. amount\n   2. payee\n4. pay");
    expect(text).toContain("Image: scan (https://example.com/scan.png)");
    expect(text).toContain("order (https://example.com/o/7)");
    expect(text).not.toContain("**");

    // The confirmation page shows the same rendering (with its own style sheet).
    const { page } = await openLink(linksIn(mail!).approve);
    expect(page).toMatch(/<div class="markdown"><h4>Why <strong>Jane Doe<\/strong><\/h4>/);
    expect(page).not.toMatch(/href="javascript|<img|<b>XL/);
    expect(pause.status).toBe("pending");
  });
});
