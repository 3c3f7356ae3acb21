import type { PolicyHook } from "@countersign/core/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approveWithConfirmation,
  type InboxHarness,
  PAYMENT,
  startInboxHarness,
} from "../test-support/inbox-harness.ts";

/** Payments go to Bob alone. */
const policy: PolicyHook = {
  evaluate: () => ({
    outcome: "require",
    rule: "bob-only",
    version: "v1",
    routing: { approvers: ["bob@example.com"] },
  }),
};

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness({}, { policy });
});
afterAll(() => harness.close());

/** A `datetime-local` value three days ahead, in the browser's (and this process's) local time. */
function inThreeDays(): string {
  const at = new Date(Date.now() + 3 * 86_400_000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

describe("Away? Delegate my approvals", () => {
  it("lets Bob hand his approvals to Alice from the inbox, and end it again", async () => {
    const bob = await harness.newPage({ apiKey: harness.t.secondApproverKey });
    await bob.goto("/");
    await bob.getByRole("link", { name: "Away?" }).click();
    await bob.getByRole("heading", { level: 1, name: "Away? Delegate my approvals" }).waitFor();
    await bob.getByLabel("Hand my approvals to").fill("alice@example.com");
    await bob.getByLabel("Until").fill(inThreeDays());
    await bob.getByLabel("Reason (optional)").fill("On leave");
    await bob.getByRole("button", { name: "Delegate" }).click();
    await bob.getByRole("status").getByText("alice@example.com now decides in your place").waitFor();
    await bob
      .locator('.delegation-list li[data-status="active"]')
      .getByText("To alice@example.com")
      .waitFor();

    // Alice now sees Bob's pause with the decision buttons, and her approval names Bob.
    const pause = await harness.openPause({ action: PAYMENT, recipients: [] });
    const alice = await harness.newPage();
    await alice.goto(`/inbox/pauses/${pause.pause_id}`);
    await approveWithConfirmation(alice); // a payment is high risk: the inbox asks first
    await alice.getByRole("heading", { level: 2, name: "Approved" }).waitFor();
    expect(await alice.getByTestId("decided-by").textContent()).toContain(
      "by alice@example.com on behalf of bob@example.com via web",
    );
    const decided = await harness.agent.getPause(pause.pause_id);
    expect(decided.decision?.decided_by).toMatchObject({
      id: "alice@example.com",
      channel: "web",
      on_behalf_of: "bob@example.com",
    });

    // Bob is back: he ends it, and Alice no longer may decide his pauses.
    await bob.getByRole("button", { name: "End now" }).click();
    await bob.locator('.delegation-list li[data-status="revoked"]').waitFor();
    const later = await harness.openPause({ action: PAYMENT, recipients: [] });
    await alice.goto(`/inbox/pauses/${later.pause_id}`);
    await alice.locator(".notice").getByText("routes it to bob@example.com").waitFor();
    expect(await alice.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);
    expect(harness.pageProblems).toEqual([]);
  });

  it("names the field the server refused", async () => {
    const bob = await harness.newPage({ apiKey: harness.t.secondApproverKey });
    await bob.goto("/inbox/delegations");
    await bob.getByLabel("Hand my approvals to").fill("bob@example.com");
    await bob.getByLabel("Until").fill(inThreeDays());
    await bob.getByRole("button", { name: "Delegate" }).click();
    await bob.getByRole("alert").getByText("cannot delegate to themselves").waitFor();
  });
});
