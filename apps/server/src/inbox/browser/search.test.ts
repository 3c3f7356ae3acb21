import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, PAYMENT, startInboxHarness } from "../test-support/inbox-harness.ts";
import { purchaseOrder } from "../test-support/purchase-order.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

const rowTitles = (page: Page) => page.locator(".pause-row-title").allTextContents();

describe("searching and filtering the list", () => {
  it("finds an order number inside the arguments of a pause beyond the first loaded page", async () => {
    // The order is the oldest of 106 pending pauses: the page of 100 the list loads first does not hold it.
    const order = await harness.openPause({ action: purchaseOrder(3) });
    for (let index = 0; index < 105; index++) {
      await harness.openPause({
        action: { ...PAYMENT, title: `Pay supplier #${index}`, data: { invoice: `INV-${index}` } },
      });
    }
    const page = await harness.newPage({ phone: false });
    await page.getByRole("button", { name: "Load more" }).waitFor();
    expect(await rowTitles(page)).not.toContain(order.action.title);

    await page.getByLabel("Search title, agent, action or any argument value").fill("po-88231");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\?q=po-88231$/);
    await expect.poll(() => rowTitles(page), { timeout: 10_000 }).toEqual([order.action.title]);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Waiting for you (1)");
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);

    // The search is in the URL: a reload or a shared link shows the same list.
    await page.reload();
    await expect.poll(() => rowTitles(page), { timeout: 10_000 }).toEqual([order.action.title]);
    await expect(
      page.getByLabel("Search title, agent, action or any argument value").inputValue(),
    ).resolves.toBe("po-88231");
    expect(harness.pageProblems).toEqual([]);
  });

  it("pages a filtered list with Load more, and a new matching pause appears live", async () => {
    const page = await harness.newPage({ phone: false });
    await page.goto("/?q=supplier");
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(async () => (await rowTitles(page)).length, { timeout: 10_000 }).toBe(105);
    expect(new Set(await rowTitles(page)).size).toBe(105);

    await harness.openPause({ action: { ...PAYMENT, title: "Pay supplier late", data: {} } });
    await harness.openPause({ action: { ...PAYMENT, title: "Unrelated refund", data: {} } });
    await page.locator(".pause-row-title", { hasText: "Pay supplier late" }).waitFor();
    await expect.poll(async () => (await rowTitles(page)).length, { timeout: 10_000 }).toBe(106);
    expect(await rowTitles(page)).not.toContain("Unrelated refund");
  });

  it("names the active filters when nothing matches, never 'Nothing is waiting', and clears them", async () => {
    const page = await harness.newPage();
    await page.goto("/?q=no-such-order&risk=low");
    const empty = page.getByTestId("empty-list");
    await empty.getByText("these filters hide them").waitFor();
    await expect(empty.textContent()).resolves.toBe(
      "No pending pauses matching “no-such-order”, at low risk. Other pauses are waiting for a decision: these filters hide them.Clear filters",
    );
    expect(await page.getByText("Nothing is waiting").count()).toBe(0);
    await expect(page.getByLabel("Risk").inputValue()).resolves.toBe("low");

    await empty.getByRole("button", { name: "Clear filters" }).click();
    await page.waitForURL((url) => url.search === "");
    await expect.poll(async () => (await rowTitles(page)).length, { timeout: 10_000 }).toBe(100);
    await expect(
      page.getByLabel("Search title, agent, action or any argument value").inputValue(),
    ).resolves.toBe("");
    await expect(page.getByLabel("Risk").inputValue()).resolves.toBe("");
    // Focus lands on the search box, so the keyboard user can type again at once.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("list-search");
  });

  it("keeps the search when switching to the Decided tab", async () => {
    const done = await harness.openPause({
      action: { ...PAYMENT, title: "Paid invoice INV-DONE-9", data: { invoice: "INV-DONE-9" } },
    });
    await harness.t.approve(done.pause_id);
    const page = await harness.newPage();
    await page.goto("/?q=inv-done-9");
    await page.getByRole("button", { name: "Clear filters" }).waitFor();
    await page.getByRole("link", { name: "Decided" }).click();
    await page.waitForURL(/show=decided/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("inv-done-9");
    await expect.poll(() => rowTitles(page), { timeout: 10_000 }).toEqual(["Paid invoice INV-DONE-9"]);
  });

  it("says 'Nothing is waiting' only when nothing is", async () => {
    const empty = await startInboxHarness();
    try {
      const page = await empty.newPage();
      await page.getByTestId("empty-list").waitFor();
      await expect(page.getByTestId("empty-list").textContent()).resolves.toBe(
        "Nothing is waiting for a decision.",
      );
      await page.goto("/?agent=deploy-bot");
      await page.getByRole("button", { name: "Clear filters" }).waitFor();
      // Nothing is pending at all, so the filters hide nothing and it says no more than it knows.
      await expect(page.getByTestId("empty-list").textContent()).resolves.toBe(
        "No pending pauses from agent deploy-bot.Clear filters",
      );
    } finally {
      await empty.close();
    }
  });
});
