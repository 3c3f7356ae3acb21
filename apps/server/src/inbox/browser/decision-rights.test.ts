import type { Pause } from "@countersign/core";
import type { PolicyHook } from "@countersign/core/server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approveWithConfirmation,
  type InboxHarness,
  PAYMENT,
  startInboxHarness,
} from "../test-support/inbox-harness.ts";

/** Routing by action type: one approver, or two distinct approvals. */
const policy: PolicyHook = {
  evaluate(request) {
    if (request.action.type === "payment-bob")
      return {
        outcome: "require",
        rule: "bob-only",
        version: "v1",
        routing: { approvers: ["bob@example.com"] },
      };
    if (request.action.type === "payment-quorum")
      return {
        outcome: "require",
        rule: "two-approvers",
        version: "v1",
        routing: { approvers: ["alice@example.com", "bob@example.com"], approvals_required: 2 },
      };
    return null;
  },
};

let harness: InboxHarness;
/** An approver key held by the agent's owner: they may approve others' pauses, never their own agent's. */
let ownerApproverKey: string;
beforeAll(async () => {
  harness = await startInboxHarness({}, { policy });
  ownerApproverKey = (
    await harness.t.server.issueApiKey({
      role: "approver",
      identity: "agent-owner@example.com",
      name: "owner",
    })
  ).key;
});
afterAll(() => harness.close());

const open = (type: string) => harness.openPause({ action: { ...PAYMENT, type }, recipients: [] });

async function card(page: Page, pause: Pause): Promise<void> {
  await page.goto(`/inbox/pauses/${pause.pause_id}`);
  await page.getByRole("heading", { level: 1, name: PAYMENT.title! }).waitFor();
}

/** Whether the card offers a decision (the Approve and Reject buttons). */
async function offersDecision(page: Page): Promise<boolean> {
  // The card's decision area is either the buttons or the note saying why not.
  await page.locator(".decision-buttons, .notice").first().waitFor();
  const approve = await page.getByRole("button", { name: "Approve", exact: true }).count();
  const reject = await page.getByRole("button", { name: "Reject…" }).count();
  expect(approve).toBe(reject);
  return approve > 0;
}

/** What the server says to this person deciding through the API: the same rule the inbox shows. */
async function apiDecision(apiKey: string, pause: Pause) {
  const response = await fetch(`${harness.t.url}/v1/pauses/${pause.pause_id}/decision`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ decision: "approve" }),
  });
  return { status: response.status, body: (await response.json()) as { code?: string } };
}

describe("the inbox offers exactly the decisions the server accepts", () => {
  it("shows no buttons to an approver the policy did not route the pause to, and the server refuses them", async () => {
    const pause = await open("payment-bob");
    const alice = await harness.newPage();
    await card(alice, pause);
    expect(await offersDecision(alice)).toBe(false);
    await expect(alice.locator(".notice").textContent()).resolves.toContain("routes it to bob@example.com");
    expect(await apiDecision(harness.t.approverKey, pause)).toMatchObject({
      status: 403,
      body: { code: "forbidden" },
    });

    const bob = await harness.newPage({ apiKey: harness.t.secondApproverKey });
    await card(bob, pause);
    expect(await offersDecision(bob)).toBe(true);
    await approveWithConfirmation(bob);
    await bob.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect(harness.pageProblems).toEqual([]);
  });

  it("shows no buttons to the agent's owner on their own agent's pause, and the server refuses them", async () => {
    const pause = await open("payment");
    const owner = await harness.newPage({ apiKey: ownerApproverKey });
    await card(owner, pause);
    expect(await offersDecision(owner)).toBe(false);
    await expect(owner.locator(".notice").textContent()).resolves.toBe(
      "You requested this action, so another approver must decide it.",
    );
    expect((await apiDecision(ownerApproverKey, pause)).status).toBe(403);
    // Anyone else may decide it.
    const alice = await harness.newPage();
    await card(alice, pause);
    expect(await offersDecision(alice)).toBe(true);
  });

  it("takes one approval per person toward a quorum: after approving, no buttons, and the server refuses a second", async () => {
    const pause = await open("payment-quorum");
    const alice = await harness.newPage();
    await card(alice, pause);
    expect(await offersDecision(alice)).toBe(true);
    await approveWithConfirmation(alice);
    await alice.getByText("Your approval is recorded; it is waiting for more approvers.").waitFor();
    expect(await offersDecision(alice)).toBe(false);
    const again = await apiDecision(harness.t.approverKey, pause);
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);

    const bob = await harness.newPage({ apiKey: harness.t.secondApproverKey });
    await card(bob, pause);
    expect(await offersDecision(bob)).toBe(true);
    await approveWithConfirmation(bob);
    await bob.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect((await harness.agent.getPause(pause.pause_id)).status).toBe("approved");
    expect(harness.pageProblems).toEqual([]);
  });
});
