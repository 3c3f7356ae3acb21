import type { Pause } from "@countersign/core";
import type { PolicyHook } from "@countersign/core/server";
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";
import { lowContrastText, unlabelledFields } from "../test-support/page-checks.ts";

/** `refund-bob` is routed to bob alone: alice (the harness's approver) may not decide it. */
const policy: PolicyHook = {
  evaluate(request) {
    if (request.action.type !== "refund-bob") return null;
    return {
      outcome: "require",
      rule: "bob-only",
      version: "v1",
      routing: { approvers: ["bob@example.com"] },
    };
  },
};

// A fresh server per test: the list holds only that test's pauses.
let harness: InboxHarness;
beforeEach(async () => {
  harness = await startInboxHarness({}, { policy });
});
afterEach(() => harness.close());

function openRefund(title: string, agentId: string, amount: number, type = "refund"): Promise<Pause> {
  return harness.openPause({
    agent_id: agentId,
    action: { type, title, data: { order: title, amount, currency: "USD" }, risk: "medium" },
  });
}

async function statusOf(pause: Pause): Promise<string> {
  return (await harness.agent.getPause(pause.pause_id)).status;
}

/** The list page with these rows shown. */
async function listShowing(page: Page, titles: string[]): Promise<void> {
  for (const title of titles) await page.getByRole("link", { name: new RegExp(title) }).waitFor();
}

describe("deciding several pauses from the list", () => {
  it("selects all, shows what is about to be approved, leaves out a vetoed one, and approves the rest", async () => {
    const first = await openRefund("Refund order 5512", "support-agent", 1200);
    const second = await openRefund("Refund order 5513", "billing-agent", 600);
    const third = await openRefund("Refund order 5514", "returns-agent", 40);
    const page = await harness.newPage();
    await listShowing(page, ["Refund order 5512", "Refund order 5513", "Refund order 5514"]);
    expect(await unlabelledFields(page)).toEqual([]);

    await page.getByLabel("Select all you can decide (3)").check();
    const bar = page.getByRole("region", { name: "Selected pauses" });
    await expect(bar.textContent()).resolves.toContain("3 pauses selected");
    await bar.getByRole("button", { name: "Approve selected" }).click();

    await page.getByRole("dialog", { name: "Approve 3 pauses?" }).waitFor();
    // Its name follows what is left in it, so find it by role alone from here on.
    const dialog = page.getByRole("dialog");
    // Focus starts on the safe choice, as in every confirm step.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    const summary = dialog.getByTestId("batch-summary");
    await expect(summary.getByRole("listitem").allTextContents()).resolves.toEqual([
      "3 pauses: 3 refunds",
      "US$1,840 in total",
      "from 3 agents (billing-agent, returns-agent, support-agent)",
    ]);
    expect(await lowContrastText(page)).toEqual([]);

    // Veto the middle one: the summary follows.
    await dialog
      .getByRole("checkbox", { name: "Refund order 5513 refund · billing-agent · US$600" })
      .uncheck();
    await page.getByRole("dialog", { name: "Approve 2 pauses?" }).waitFor();
    await expect(summary.getByRole("listitem").allTextContents()).resolves.toEqual([
      "2 pauses: 2 refunds",
      "US$1,240 in total",
      "from 2 agents (returns-agent, support-agent)",
    ]);
    await dialog.getByRole("button", { name: "Yes, approve 2" }).click();

    const results = page.getByRole("region", { name: "Approved 2 of 2 pauses" });
    await results.waitFor();
    await expect(results.getByRole("listitem").allTextContents()).resolves.toEqual([
      "Refund order 5512: approved",
      "Refund order 5514: approved",
    ]);
    expect(await statusOf(first)).toBe("approved");
    expect(await statusOf(third)).toBe("approved");
    expect(await statusOf(second)).toBe("pending");
    for (const pause of [first, third]) {
      const decided = await harness.agent.getPause(pause.pause_id);
      expect(decided.proof?.decided_by).toMatchObject({ id: "alice@example.com", channel: "web" });
    }

    // The list is refreshed: the vetoed one is still waiting, the others are gone, nothing is selected.
    const list = page.getByRole("list", { name: "Waiting for you" });
    await page.getByRole("link", { name: /Refund order 5512/ }).waitFor({ state: "detached" });
    await expect(list.getByRole("link").allTextContents()).resolves.toEqual([
      expect.stringContaining("Refund order 5513"),
    ]);
    expect(await bar.count()).toBe(0);
    expect(harness.pageProblems).toEqual([]);
  });

  it("offers only pauses the approver may decide, and rejects with one reason for each", async () => {
    const first = await openRefund("Refund order 6001", "support-agent", 10);
    const second = await openRefund("Refund order 6002", "support-agent", 20);
    const bobs = await openRefund("Refund order 6003", "support-agent", 30, "refund-bob");
    const page = await harness.newPage({ phone: false });
    await listShowing(page, ["Refund order 6001", "Refund order 6002", "Refund order 6003"]);
    expect(await page.getByRole("checkbox", { name: "Select Refund order 6003" }).count()).toBe(0);

    // With the keyboard: tick both, open the reject summary, Esc leaves everything as it was.
    await page.getByRole("checkbox", { name: "Select Refund order 6001" }).focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab"); // the row's link
    await page.keyboard.press("Tab"); // the next row's box
    await page.keyboard.press("Space");
    expect(await page.getByLabel("Select all you can decide (2)").isChecked()).toBe(true);
    const reject = page.getByRole("button", { name: "Reject selected…" });
    await reject.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Reject 2 pauses?" });
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Reject selected…");
    expect(await statusOf(first)).toBe("pending");

    await reject.click();
    await dialog.getByRole("button", { name: "Yes, reject 2" }).click();
    await dialog.getByText("Say why you reject them.").waitFor();
    expect(await statusOf(first)).toBe("pending");
    await dialog.getByLabel(/Reason for all of them/).fill("Refunds are paused during the audit");
    await dialog.getByRole("button", { name: "Yes, reject 2" }).click();
    await page.getByRole("region", { name: "Rejected 2 of 2 pauses" }).waitFor();
    for (const pause of [first, second]) {
      const decided = await harness.agent.getPause(pause.pause_id);
      expect(decided).toMatchObject({
        status: "rejected",
        decision: { reason: "Refunds are paused during the audit" },
      });
    }
    expect(await statusOf(bobs)).toBe("pending");

    // A pause that arrives while the list is open can be selected too; one for bob cannot.
    await openRefund("Refund order 6004", "support-agent", 40);
    await openRefund("Refund order 6005", "support-agent", 50, "refund-bob");
    await page.getByRole("checkbox", { name: "Select Refund order 6004" }).waitFor();
    await page.getByRole("link", { name: /Refund order 6005/ }).waitFor();
    await page.getByLabel("Select all you can decide (1)").waitFor();
    expect(await page.getByRole("checkbox", { name: "Select Refund order 6005" }).count()).toBe(0);
    expect(harness.pageProblems).toEqual([]);
  });
});
