import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

describe("the insights page", () => {
  it("shows an approver how each gate fared: the outcome bar, decision times and why people said no", async () => {
    const approved = await harness.openPause();
    await harness.t.approve(approved.pause_id);
    for (const reason of ["Wrong payee", "wrong payee "]) {
      const rejected = await harness.openPause();
      await harness.t.reject(rejected.pause_id, reason);
    }
    const page = await harness.newPage({ phone: false });
    await page.getByRole("link", { name: "Insights" }).click();
    await page.getByRole("heading", { level: 1, name: "Insights" }).waitFor();
    const gate = page.getByRole("region", { name: `${approved.agent_id} · ${approved.action.type}` });
    await gate.waitFor();
    expect(await gate.getByRole("img").getAttribute("aria-label")).toBe(
      "1 approved by people, 2 rejected by people",
    );
    await expect(gate.textContent()).resolves.toContain("3 opened");
    await expect(gate.textContent()).resolves.toMatch(/People decided in \d+ s \(median\)/);
    // Reasons are grouped without case and spacing.
    const reasons = gate.getByRole("listitem");
    expect(await reasons.count()).toBe(1);
    await expect(reasons.first().textContent()).resolves.toMatch(/Wrong payee ×2/i);
  });
});
