import { type Action, verifyDecision } from "@countersign/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

const refund = (amount: number, ticket: string): Action => ({
  type: "refund",
  title: `Refund $${amount} for ${ticket}`,
  description: "Customer refund after the outage",
  data: { amount, currency: "USD", ticket },
  risk: "low",
});

const openRefund = (agentId: string, amount: number, ticket: string) =>
  harness.openPause({ agent_id: agentId, action: refund(amount, ticket), recipients: [] });

describe("standing grants in the inbox", () => {
  it("approves a card and similar ones, approves the next fitting pause at once, and stops once revoked", async () => {
    const first = await openRefund("support-bot", 120, "T-1");
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${first.pause_id}`);
    await page.getByRole("button", { name: "Approve this and similar ones…" }).click();
    await page.getByRole("heading", { name: "Approve this and similar ones for the next …" }).waitFor();
    // Prefilled from the pause, bounded by the policy (none here: the 24-hour default).
    expect(await page.getByLabel("Agent", { exact: true }).inputValue()).toBe("support-bot");
    expect(await page.getByLabel("Action type").inputValue()).toBe("refund");
    expect(await page.getByLabel("Only when amount is at most").inputValue()).toBe("120");
    await page.getByText("At most 1 day (the policy's grants.max_duration).").waitFor();
    await page.getByLabel("At most this many pauses").fill("3");
    await page.getByLabel("At most this much amount in all (optional)").fill("300");
    await page.getByLabel("For the next").selectOption({ label: "1 hour" });
    await page.getByLabel("Reason (optional; the agent and the audit log see it)").fill("Outage refunds");
    await page.getByRole("button", { name: "Approve and grant" }).click();

    await page.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    await expect(page.getByTestId("decided-by").textContent()).resolves.toMatch(
      /by alice@example\.com via web/,
    );
    await expect(page.getByTestId("granted-notice").textContent()).resolves.toContain(
      "You also granted refund by support-bot when amount <= 120",
    );
    expect((await harness.agent.getPause(first.pause_id)).decision?.decided_by).toMatchObject({
      kind: "human",
      id: "alice@example.com",
    });

    // The agent's next fitting pause is approved at once, by the grant, with a proof that verifies.
    const second = await openRefund("support-bot", 80, "T-2");
    expect(second.status).toBe("approved");
    expect(second.decision?.decided_by).toMatchObject({ kind: "grant", granted_by: "alice@example.com" });
    expect(await verifyDecision(second, { keys: harness.t.jwks })).toMatchObject({ approved: true });

    await page.getByRole("link", { name: "Grants", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Standing grants" }).waitFor();
    const row = page.locator(".grants-table tbody tr").filter({ hasText: "support-bot" });
    await expect(row.getByTestId("remaining").textContent()).resolves.toBe(
      "2 of 3 pauses · 220 of 300 amount",
    );
    await expect(row.textContent()).resolves.toContain("alice@example.com");
    await expect(row.textContent()).resolves.toContain("amount <= 120");

    await row.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke this grant?" });
    await dialog.getByText("2 of 3 pauses").waitFor();
    await dialog.getByRole("button", { name: "Yes, revoke" }).click();
    await page
      .locator('.grants-table tr[data-status="revoked"]')
      .filter({ hasText: "support-bot" })
      .waitFor();
    expect(await row.getByRole("button", { name: "Revoke" }).count()).toBe(0);

    // Revoked: the next fitting pause waits for a person again.
    const third = await openRefund("support-bot", 60, "T-3");
    expect(third.status).toBe("pending");
    expect((await harness.agent.getPause(third.pause_id)).status).toBe("pending");
    expect(harness.pageProblems).toEqual([]);
  });

  it("shows the field the server refused, and decides nothing", async () => {
    const pause = await openRefund("refund-bot", 40, "T-9");
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("button", { name: "Approve this and similar ones…" }).click();
    await page.getByLabel("Agent", { exact: true }).fill(" ");
    await page.getByRole("button", { name: "Approve and grant" }).click();
    await page
      .getByRole("alert")
      .getByText(/agent_ids\.0: must not be empty/)
      .waitFor();
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("pending");
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Approve", exact: true }).waitFor();
    expect(harness.pageProblems).toEqual([]);
  });
});
