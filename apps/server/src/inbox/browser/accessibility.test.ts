import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";
import { lowContrastText, unlabelledFields } from "../test-support/page-checks.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

/** Tabs forward until the focused element matches, as a keyboard user would. */
async function tabTo(page: Page, role: "link" | "button", name: string): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return { tag: element?.tagName ?? "", text: element?.textContent?.trim() ?? "" };
    });
    if (focused.tag === (role === "link" ? "A" : "BUTTON") && focused.text.startsWith(name)) return;
  }
  throw new Error(`could not reach the ${role} "${name}" with Tab`);
}

describe("accessibility", () => {
  it("can be used with the keyboard alone: open a pause from the list and approve it", async () => {
    const pause = await harness.openPause({
      action: { type: "deploy", title: "Deploy billing v4 to production" },
    });
    const page = await harness.newPage({ phone: false });
    await tabTo(page, "link", "Deploy billing v4 to production");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Deploy billing v4 to production" }).waitFor();
    // The new page's heading has focus, so reading starts there.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    await tabTo(page, "button", "Approve");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("approved");
  });

  it("labels every field and keeps text contrast at WCAG AA, in light and dark", async () => {
    const signedOut = await harness.newPage({ apiKey: null });
    await signedOut.goto("/");
    await signedOut.getByLabel("API key").waitFor();
    expect(await unlabelledFields(signedOut)).toEqual([]);
    expect(await lowContrastText(signedOut)).toEqual([]);

    const pending = await harness.openPause();
    const decided = await harness.openPause();
    await harness.t.approve(decided.pause_id, {
      data: { payee: "Acme Corp", amount: 12000 },
      reason: "Capped",
    });
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await harness.newPage({ colorScheme });
      const check = async () => {
        expect(await unlabelledFields(page)).toEqual([]);
        expect(await lowContrastText(page)).toEqual([]);
      };
      await check();
      await page.goto(`/inbox/pauses/${pending.pause_id}`);
      await page.getByRole("button", { name: "Approve", exact: true }).waitFor();
      await check();
      await page.getByRole("button", { name: "Reject…" }).click();
      await page.getByRole("button", { name: "Not allowed for this agent" }).click();
      await page.getByLabel("Reason (required; the agent sees it)").fill("");
      await page.getByRole("button", { name: "Reject", exact: true }).click();
      await page.getByText("Say why you reject it.").waitFor();
      await check();
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.getByRole("button", { name: "Approve with edits…" }).click();
      await page.getByLabel("Arguments to run with (JSON)").fill('{"payee": "Acme Corp", "amount": 1}');
      await page.locator(".changes").waitFor();
      await check();
      await page.goto(`/inbox/pauses/${decided.pause_id}`);
      await page.getByText("Signature valid ✓").waitFor();
      await check();
    }
  });
});
