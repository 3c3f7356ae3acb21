import { readFile } from "node:fs/promises";
import { createClient } from "@countersign/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

describe("the audit view", () => {
  it("lets an admin filter the log by pause and export it as JSON Lines", async () => {
    const pause = await harness.openPause();
    await harness.t.reject(pause.pause_id, "Wrong payee");
    const page = await harness.newPage({ apiKey: harness.t.adminKey, phone: false });
    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();

    await page.getByLabel("Pause id").fill(pause.pause_id);
    await page.getByRole("button", { name: "Apply filters" }).click();
    const rows = page.locator(".audit-table tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.nth(1).textContent()).resolves.toMatch(/pause\.decided.*human: alice@example\.com/);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export JSON Lines" }).click();
    const lines = (await readFile((await (await download).path())!, "utf8")).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).type)).toEqual(["pause.opened", "pause.decided"]);
  });

  it("shows the admin approved actions that were claimed and never reported", async () => {
    const pause = await harness.openPause();
    const approved = await harness.t.approve(pause.pause_id);
    const agent = createClient({ baseUrl: harness.t.url, apiKey: harness.t.agentKey });
    await agent.claim(pause.pause_id, { proofId: approved.proof!.proof_id });
    const page = await harness.newPage({ apiKey: harness.t.adminKey, phone: false });
    await page.getByRole("link", { name: "Audit" }).click();
    const section = page.getByRole("region", { name: "Claimed, no receipt" });
    await section.getByText("Every claim older than that has a receipt.").waitFor();
    await section.getByLabel("Claimed more than").selectOption("0s");
    const link = section.getByRole("link", { name: pause.action.title! });
    await link.waitFor();
    await link.click();
    await page.waitForURL(`**/inbox/pauses/${pause.pause_id}`);
  });

  it("is not offered to approvers", async () => {
    const page = await harness.newPage();
    expect(await page.getByRole("link", { name: "Audit" }).count()).toBe(0);
    await page.goto("/inbox/audit");
    await page.getByText("Only admins can read the audit log.").waitFor();
  });
});
