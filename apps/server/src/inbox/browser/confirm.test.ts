import type { PolicyHook } from "@countersign/core/server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, PAYMENT, startInboxHarness } from "../test-support/inbox-harness.ts";

/** A policy that rates every "db.drop" critical, whatever the agent declares (as the policy file's `risk` section does). */
const policy: PolicyHook = {
  evaluate(request) {
    if (request.action.type !== "db.drop") return null;
    return {
      outcome: "require",
      rule: "databases",
      version: "v1",
      routing: { risk: "critical", declared_risk: "low" },
    };
  },
};

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness({}, { policy });
});
afterAll(() => harness.close());

/** Where keyboard focus is: inside the confirm dialog, or elsewhere (and what). */
function focusPlace(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    const where = element?.closest("dialog") ? "dialog" : "page";
    return `${where}:${element?.textContent?.trim() ?? ""}`;
  });
}

describe("the confirm step", () => {
  it("asks again before approving a high risk action; Esc cancels and nothing is decided", async () => {
    const pause = await harness.openPause();
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    const approve = page.getByRole("button", { name: "Approve", exact: true });
    await approve.click();

    const dialog = page.getByRole("dialog", { name: "Approve this high risk action?" });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain("Pay Acme Corp $12,450");
    await expect(dialog.textContent()).resolves.toContain("payment · asked by billing-agent");
    await expect(dialog.getByRole("definition").filter({ hasText: "12450" }).count()).resolves.toBe(1);
    // Focus starts on the safe choice.
    expect(await focusPlace(page)).toBe("dialog:Cancel");

    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await focusPlace(page)).toBe("page:Approve");
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("pending");

    // Cancel does the same; "Yes, approve" decides.
    await approve.click();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("pending");
    await approve.click();
    await dialog.getByRole("button", { name: "Yes, approve" }).click();
    await page.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("approved");
    expect(harness.pageProblems).toEqual([]);
  });

  it("keeps keyboard focus inside the dialog and leaves the page behind it inert", async () => {
    const pause = await harness.openPause({ action: { ...PAYMENT, risk: "critical" } });
    const page = await harness.newPage({ phone: false });
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("button", { name: "Approve", exact: true }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Approve this critical risk action?" });
    await dialog.waitFor();

    const visited = new Set<string>();
    for (let presses = 0; presses < 6; presses++) {
      await page.keyboard.press("Tab");
      visited.add(await focusPlace(page));
    }
    for (let presses = 0; presses < 6; presses++) {
      await page.keyboard.press("Shift+Tab");
      visited.add(await focusPlace(page));
    }
    expect([...visited].sort()).toEqual(["dialog:Cancel", "dialog:Yes, approve"]);
    // A pointer cannot reach the card behind the dialog either.
    const behind = await page.evaluate(() => {
      const button = [...document.querySelectorAll("button")].find((each) => each.textContent === "Reject…");
      const box = button!.getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return hit === button;
    });
    expect(behind).toBe(false);

    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("pending");
  });

  it("asks again when the policy rates the action critical, though the agent declared it low", async () => {
    const pause = await harness.openPause({
      action: { type: "db.drop", title: "Drop table invoices_2019", risk: "low" },
    });
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByText("critical risk", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.getByRole("dialog", { name: "Approve this critical risk action?" }).waitFor();
    await page.keyboard.press("Escape");
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("pending");
  });

  it("approves a low risk action in one tap", async () => {
    const pause = await harness.openPause({ action: { ...PAYMENT, title: "Refund $20", risk: "low" } });
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("approved");
  });

  it("asks before approving with edits, even at low risk, and Esc keeps the edits for another look", async () => {
    const pause = await harness.openPause({ action: { ...PAYMENT, risk: "low" } });
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("button", { name: "Approve with edits…" }).click();
    const editor = page.getByLabel("Arguments to run with (JSON)");
    const submit = page.getByRole("button", { name: "Approve with these arguments" });
    expect(await submit.isDisabled()).toBe(true); // nothing changed yet
    await editor.fill(JSON.stringify({ ...PAYMENT.data, amount: 9000, currency: "EUR" }));
    await submit.click();

    const dialog = page.getByRole("dialog", { name: "Approve with these changes?" });
    await expect(dialog.locator(".changes li").allTextContents()).resolves.toEqual([
      "amount: 12450 → 9000",
      'currency: "USD" → "EUR"',
    ]);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(JSON.parse(await editor.inputValue())).toMatchObject({ amount: 9000, currency: "EUR" });
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("pending");

    await submit.click();
    await dialog.getByRole("button", { name: "Yes, approve with edits" }).click();
    await page.getByRole("heading", { name: "Approved with edited arguments" }).waitFor();
    const decided = await harness.agent.getPause(pause.pause_id);
    expect(decided.decision?.data).toMatchObject({ amount: 9000, currency: "EUR" });
    expect(harness.pageProblems).toEqual([]);
  });
});
