import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";
import { lowContrastText } from "../test-support/page-checks.ts";
import { purchaseOrder } from "../test-support/purchase-order.ts";

const DOCS = fileURLToPath(new URL("../../../../../docs/", import.meta.url));

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

/** The Approve button's box against the window: whether a thumb can reach it without scrolling. */
function approveInReach(
  page: Page,
): Promise<{ top: number; bottom: number; onTop: boolean; viewport: number }> {
  return page.evaluate(() => {
    const button = [...document.querySelectorAll("button")].find((each) => each.textContent === "Approve")!;
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return { top: box.top, bottom: box.bottom, onTop: hit === button, viewport: innerHeight };
  });
}

/** Saves a screenshot into docs/ with COUNTERSIGN_UPDATE_SCREENSHOT=1, else into a temp dir; returns its width. */
async function screenshot(page: Page, name: string): Promise<number> {
  const update = process.env.COUNTERSIGN_UPDATE_SCREENSHOT === "1";
  const directory = update ? DOCS : await mkdtemp(join(tmpdir(), "inbox-shot-"));
  await mkdir(directory, { recursive: true });
  const image = await page.screenshot({ path: join(directory, name) });
  if (!update) await rm(directory, { recursive: true, force: true });
  expect(image.subarray(1, 4).toString()).toBe("PNG");
  return image.readUInt32BE(16);
}

describe("a 200-line purchase order", () => {
  it("on a phone keeps the decision in reach from top to bottom and collapses the arguments", async () => {
    const pause = await harness.openPause({ action: purchaseOrder(200) });
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("heading", { level: 1, name: /PO-88231/ }).waitFor();

    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeGreaterThan(844 * 5);
    // At the top, in the middle of the order and near the end: Approve is on screen, at the bottom, not covered.
    for (const at of [0, 0.5, 0.85]) {
      await page.evaluate((fraction) => scrollTo(0, document.documentElement.scrollHeight * fraction), at);
      const reach = await approveInReach(page);
      expect(reach, `scrolled to ${at * 100}%`).toMatchObject({ onTop: true, viewport: 844 });
      expect(reach.bottom).toBeLessThanOrEqual(844);
      expect(reach.top).toBeGreaterThan(844 - 200);
    }

    // 4 order fields + 200 lines × 4 fields, eight of them shown until asked.
    const argumentRows = page.locator('dl[aria-label="Requested arguments"] .key-value');
    expect(await argumentRows.count()).toBe(8);
    await expect(argumentRows.first().textContent()).resolves.toBe("po_numberPO-88231");
    const showAll = page.getByRole("button", { name: "Show all 804 fields" });
    expect(await showAll.getAttribute("aria-expanded")).toBe("false");
    await page.evaluate(() => scrollTo(0, 0));
    expect(await screenshot(page, "inbox-phone.png")).toBe(780);

    await showAll.click();
    expect(await argumentRows.count()).toBe(804);
    await expect(argumentRows.last().textContent()).resolves.toBe("lines[199].unit_price388");
    const less = page.getByRole("button", { name: "Show the first 8 fields" });
    expect(await less.getAttribute("aria-expanded")).toBe("true");

    // The pinned bar decides, through the confirm step a critical action takes.
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Yes, approve" }).click();
    await page.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("approved");
    expect(harness.pageProblems).toEqual([]);
  });

  it("on a desktop shows the card with the bar in reach, and keeps a screenshot", async () => {
    const pause = await harness.openPause({ action: purchaseOrder(200) });
    const page = await harness.newPage({ phone: false });
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("heading", { level: 1, name: /PO-88231/ }).waitFor();
    const reach = await approveInReach(page);
    expect(reach.onTop).toBe(true);
    expect(reach.bottom).toBeLessThanOrEqual(reach.viewport);
    expect(await screenshot(page, "inbox-desktop.png")).toBe(1200);
  });

  it("on a phone, the confirm dialog fits the screen and its text meets contrast", async () => {
    const pause = await harness.openPause({ action: purchaseOrder(200) });
    const page = await harness.newPage({ colorScheme: "dark" });
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Approve this critical risk action?" });
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    await expect(dialog.textContent()).resolves.toContain("and 800 more fields on the card");
    const yes = dialog.getByRole("button", { name: "Yes, approve" });
    expect(await yes.isVisible()).toBe(true);
    expect(await lowContrastText(page)).toEqual([]);
    expect(await screenshot(page, "inbox-confirm-phone.png")).toBe(780);
  });
});
