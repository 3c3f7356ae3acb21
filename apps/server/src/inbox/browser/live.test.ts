import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approveWithConfirmation,
  type InboxHarness,
  startInboxHarness,
} from "../test-support/inbox-harness.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

describe("live updates", () => {
  it("adds a new pause to the open list and drops it when decided elsewhere, without a reload", async () => {
    const page = await harness.newPage();
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = "same page";
    });
    const pause = await harness.openPause({
      action: { type: "refund", title: "Refund order #8812", risk: "medium" },
    });
    const row = page.getByRole("link", { name: /Refund order #8812/ });
    await row.waitFor();

    await harness.t.reject(pause.pause_id, "Order was never shipped", {
      apiKey: harness.t.secondApproverKey,
    });
    await row.waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Decided" }).click();
    await expect(page.getByRole("link", { name: /Refund order #8812/ }).textContent()).resolves.toMatch(
      /rejected.*by bob@example\.com/,
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same page");
  });

  it("updates an open card when the pause is decided elsewhere", async () => {
    const pause = await harness.openPause();
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("button", { name: "Approve", exact: true }).waitFor();

    await harness.t.approve(pause.pause_id, { apiKey: harness.t.secondApproverKey });
    await expect(page.getByTestId("card-notice").textContent()).resolves.toMatch(
      /^This pause was just approved by bob@example\.com at /,
    );
    await page.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect(await page.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);
  });

  it("tells a second approver who clicks late who decided first, not an error page", async () => {
    const pause = await harness.openPause();
    const alice = await harness.newPage();
    const bob = await harness.newPage({ apiKey: harness.t.secondApproverKey });
    // Bob's connection drops its live updates, so his card still offers the buttons.
    await bob.route("**/inbox/api/events", (route) => route.abort());
    await bob.goto(`/inbox/pauses/${pause.pause_id}`);
    await alice.goto(`/inbox/pauses/${pause.pause_id}`);

    await approveWithConfirmation(alice);
    await alice.getByRole("heading", { level: 2, name: "Approved" }).waitFor();

    await bob.getByRole("button", { name: "Reject…" }).click();
    await bob.getByLabel("Reason (required; the agent sees it)").fill("Too expensive");
    await bob.getByRole("button", { name: "Reject", exact: true }).click();
    await expect(bob.getByTestId("card-notice").textContent()).resolves.toMatch(
      /^Already decided by alice@example\.com at .* \(approved\)\.$/,
    );
    await bob.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect(await bob.getByRole("alert").count()).toBe(0);
    expect((await harness.agent.getPause(pause.pause_id)).decision?.decided_by.id).toBe("alice@example.com");
  });
});
