import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { verifyDecision } from "@countersign/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, PAYMENT, startInboxHarness } from "../test-support/inbox-harness.ts";

const DOCS_SCREENSHOT = fileURLToPath(new URL("../../../../../docs/inbox-card.png", import.meta.url));

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

describe("deciding in the inbox", () => {
  it("shows a pause opened through the API, rejects it with a reason, and the agent's proof says so", async () => {
    const pause = await harness.openPause();
    const page = await harness.newPage();
    const row = page.getByRole("link", { name: /Pay Acme Corp \$12,450/ });
    await expect(row.textContent()).resolves.toMatch(/high risk.*expires in 1[45] min/);

    await row.click();
    await page.getByRole("heading", { level: 1, name: "Pay Acme Corp $12,450" }).waitFor();
    expect(page.url()).toBe(`${harness.t.url}/inbox/pauses/${pause.pause_id}`);
    // The markdown preview, the arguments as key/values, and the raw JSON.
    await expect(page.locator(".markdown strong").textContent()).resolves.toBe("Acme Corp");
    await expect(page.locator(".markdown code").textContent()).resolves.toBe("INV-2041");
    const amount = page.getByRole("definition").filter({ hasText: "12450" });
    await expect(amount.count()).resolves.toBe(1);
    await page.getByText("Raw JSON").click();
    await expect(page.locator(".raw-json pre").textContent()).resolves.toContain('"payee": "Acme Corp"');
    await expect(page.getByText("no policy rule (every approver may decide)").count()).resolves.toBe(1);
    await expect(page.getByText("billing-agent (key of agent-owner@example.com)").count()).resolves.toBe(1);

    await page.getByRole("button", { name: "Reject…" }).click();
    await page.getByRole("button", { name: "Reject", exact: true }).click();
    await page.getByText("Say why you reject it.").waitFor();
    await page.getByRole("button", { name: "Duplicate request" }).click();
    const reason = page.getByLabel("Reason (required; the agent sees it)");
    await reason.fill("Duplicate request: already paid on 14 November");
    await page.getByRole("button", { name: "Reject", exact: true }).click();

    await page.getByRole("heading", { level: 2, name: "Rejected" }).waitFor();
    await expect(page.getByTestId("decided-by").textContent()).resolves.toMatch(
      /by alice@example\.com via web/,
    );
    await page.getByText("Signature valid ✓").waitFor();

    const decided = await harness.agent.getPause(pause.pause_id);
    const result = await verifyDecision(decided, { keys: harness.t.jwks });
    expect(result).toMatchObject({
      approved: false,
      status: "rejected",
      reason: "Duplicate request: already paid on 14 November",
    });

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download proof" }).click();
    const file = await (await download).path();
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(decided.proof);
    expect(harness.pageProblems).toEqual([]);
  });

  it("approves with edited arguments after checking they are valid JSON", async () => {
    const pause = await harness.openPause();
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("button", { name: "Approve with edits…" }).click();
    const editor = page.getByLabel("Arguments to run with (JSON)");
    const submit = page.getByRole("button", { name: "Approve with these arguments" });

    await editor.fill('{"payee": "Acme Corp", "amount": 12000,');
    await page.getByText(/^Not valid JSON/).waitFor();
    expect(await submit.isDisabled()).toBe(true);
    expect(await editor.getAttribute("aria-invalid")).toBe("true");
    await editor.fill("[1, 2]");
    await page.getByText("The arguments must be a JSON object").waitFor();

    await editor.fill(JSON.stringify({ ...PAYMENT.data, amount: 12000 }, null, 2));
    await expect(page.locator(".changes").textContent()).resolves.toBe("amount: 12450 → 12000");
    await page.getByLabel("Note for the agent (optional)").fill("Capped at the contract rate");
    await submit.click();
    // A second step shows exactly what changes before anything is sent.
    const confirm = page.getByRole("dialog", { name: "Approve with these changes?" });
    await expect(confirm.locator(".changes").textContent()).resolves.toBe("amount: 12450 → 12000");
    await expect(confirm.textContent()).resolves.toContain("Note for the agent: Capped at the contract rate");
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("pending");
    await confirm.getByRole("button", { name: "Yes, approve with edits" }).click();

    await page.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    await page.getByRole("heading", { name: "Approved with edited arguments" }).waitFor();
    await page.getByText("Signature valid ✓").waitFor();

    const result = await verifyDecision(await harness.agent.getPause(pause.pause_id), {
      keys: harness.t.jwks,
    });
    expect(result).toMatchObject({
      approved: true,
      data: { ...PAYMENT.data, amount: 12000 },
      reason: "Capped at the contract rate",
    });
    expect(harness.pageProblems).toEqual([]);
  });

  it("keeps a phone screenshot of a pending card", async () => {
    const pause = await harness.openPause({
      context: { thread_id: "thread_8f2", tool_call_id: "call_pay_1", framework: "langgraph" },
    });
    const page = await harness.newPage();
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByRole("button", { name: "Approve", exact: true }).waitFor();
    // Refresh the committed screenshot with COUNTERSIGN_UPDATE_SCREENSHOT=1; otherwise keep it out of the tree.
    const target =
      process.env.COUNTERSIGN_UPDATE_SCREENSHOT === "1"
        ? DOCS_SCREENSHOT
        : join(await mkdtemp(join(tmpdir(), "inbox-shot-")), "inbox-card.png");
    await mkdir(join(target, ".."), { recursive: true });
    const image = await page.screenshot({ path: target, fullPage: true });
    expect(image.subarray(1, 4).toString()).toBe("PNG");
    // 390 CSS pixels at 2x: a phone-width image.
    expect(image.readUInt32BE(16)).toBe(780);
    if (target !== DOCS_SCREENSHOT) await rm(join(target, ".."), { recursive: true, force: true });
  });
});
