import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

const BODY = [
  "## Why **Jane Doe**",
  "",
  "| Item | Qty | Price |",
  "|:--|:-:|--:|",
  "| Widget | 2 | $10 |",
  "| Gadget <b>XL</b> | 1 | $5 |",
  "",
  "3. check the PO",
  "   1. amount",
  "   2. payee",
  "4. pay",
  "",
  "![invoice scan](https://example.com/scan.png) and ![pixel](javascript:window.__pwned='image')",
  "",
  "[details](javascript:window.__pwned='link') <img src=x onerror=\"window.__pwned='html'\">",
].join("\n");

describe("the agent's Markdown on the card", () => {
  it("shows tables as tables, nested lists numbered as written, images as links and no live markup", async () => {
    await harness.openPause({
      action: { type: "payment", title: "Pay the March invoices", body: BODY, risk: "low" },
    });
    const page = await harness.newPage();
    await page.getByRole("link", { name: "Pay the March invoices" }).click();
    const markdown = page.locator("article.card .markdown");
    await markdown.waitFor();

    await expect(markdown.locator("h4").textContent()).resolves.toBe("Why Jane Doe");
    const table = markdown.getByRole("table");
    await expect(table.getByRole("columnheader").allTextContents()).resolves.toEqual([
      "Item",
      "Qty",
      "Price",
    ]);
    await expect(table.locator("tbody tr").nth(1).locator("td").allTextContents()).resolves.toEqual([
      "Gadget <b>XL</b>",
      "1",
      "$5",
    ]);

    // The browser numbers the list: 3, 4 outside and 1, 2 inside.
    const outer = markdown.locator(":scope > ol");
    await expect(outer.getAttribute("start")).resolves.toBe("3");
    await expect(outer.locator(":scope > li").count()).resolves.toBe(2);
    await expect(outer.locator(":scope > li ol > li").allTextContents()).resolves.toEqual([
      "amount",
      "payee",
    ]);

    const links = await markdown
      .locator("a")
      .evaluateAll((anchors) =>
        anchors.map((anchor) => [anchor.textContent, (anchor as HTMLAnchorElement).href]),
      );
    expect(links).toEqual([["Image: invoice scan", "https://example.com/scan.png"]]);
    await expect(markdown.locator("img, b, script").count()).resolves.toBe(0);
    const text = await markdown.textContent();
    expect(text).toContain("![pixel](javascript:window.__pwned='image')");
    expect(text).toContain("[details](javascript:window.__pwned='link')");
    expect(text).toContain(`<img src=x onerror="window.__pwned='html'">`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(harness.pageProblems).toEqual([]);
  });
});
