import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

const TITLE = `<img src=x onerror="window.__pwned='title'">Pay <b>now</b>`;
const BODY = [
  `<script>window.__pwned='body'</script>`,
  "",
  `[click me](javascript:window.__pwned='link') and [docs](https://example.com/docs)`,
  "",
  `<iframe src="https://evil.example"></iframe>`,
].join("\n");

describe("agent-supplied text", () => {
  it("renders as text in the list and on the card: no markup, no script, no javascript: link", async () => {
    const pause = await harness.openPause({
      action: {
        type: "payment",
        title: TITLE,
        description: `<svg onload="window.__pwned='description'">`,
        body: BODY,
        data: { "<b>payee</b>": `<img src=x onerror="window.__pwned='data'">` },
        risk: "critical",
      },
    });
    const page = await harness.newPage();
    const row = page.getByRole("link", { name: TITLE });
    await row.waitFor();
    await row.click();
    await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();

    const card = page.locator("article.card");
    await expect(card.locator("img, script, iframe, svg, b").count()).resolves.toBe(0);
    await expect(card.textContent()).resolves.toContain(`<script>window.__pwned='body'</script>`);
    await expect(card.textContent()).resolves.toContain(`<svg onload="window.__pwned='description'">`);
    await expect(page.getByRole("term").filter({ hasText: "<b>payee</b>" }).count()).resolves.toBe(1);
    const links = await card
      .locator(".markdown a")
      .evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).href));
    expect(links).toEqual(["https://example.com/docs"]);
    await expect(card.textContent()).resolves.toContain("[click me](javascript:window.__pwned='link')");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe(`${TITLE} · Countersign`);
    expect(harness.pageProblems).toEqual([]);
    expect(pause.status).toBe("pending");
  });
});
