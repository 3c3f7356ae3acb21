import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxHarness, startInboxHarness } from "../test-support/inbox-harness.ts";

let harness: InboxHarness;
beforeAll(async () => {
  harness = await startInboxHarness();
});
afterAll(() => harness.close());

describe("signing in", () => {
  it("says so when an API key is wrong, and signs in with a right one", async () => {
    const page = await harness.newPage({ apiKey: null });
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: "Sign in to approve" }).waitFor();
    await page.getByLabel("API key").fill("csk_approver_wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That key is unknown or revoked.").waitFor();

    await page.getByLabel("API key").fill(harness.t.approverKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: /Waiting for you/ }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: "countersign_session", httpOnly: true, sameSite: "Strict" }),
    ]);
    // The cookie is invisible to scripts on the page.
    expect(await page.evaluate(() => document.cookie)).toBe("");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in to approve" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Sign in to approve" }).waitFor();
  });

  it("signs in with an e-mailed link only after Continue, and only once", async () => {
    const page = await harness.newPage({ apiKey: null });
    await page.goto("/");
    await page.getByLabel("Work e-mail").fill("bob@example.com");
    await page.getByRole("button", { name: "Send link" }).click();
    await page.getByText("If that address belongs to an approver, a sign-in link is on its way.").waitFor();
    // The reply does not wait for the mail (so it reveals nothing): the link follows it.
    await expect.poll(() => harness.sentLinks.map((message) => message.email)).toEqual(["bob@example.com"]);
    const link = harness.sentLinks[0]!.url;

    // Opening the link (as a mail scanner would) signs nobody in.
    await page.goto(link);
    await page.getByText("Continue as bob@example.com?").waitFor();
    const before = await page.evaluate(async () => (await fetch("/inbox/api/session")).status);
    expect(before).toBe(401);

    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { level: 1, name: /Waiting for you/ }).waitFor();
    await expect(page.locator(".who").textContent()).resolves.toBe("bob@example.com");
    expect(new URL(page.url()).hash).toBe("");

    const again = await harness.newPage({ apiKey: null });
    await again.goto(link);
    await again.getByRole("button", { name: "Continue" }).click();
    await again.getByText(/This sign-in link was already used/).waitFor();
  });

  it("offers only key sign-in when the server cannot send e-mail", async () => {
    const keysOnly = await startInboxHarness({ sendSignInLink: undefined });
    try {
      const page = await keysOnly.newPage({ apiKey: null });
      await page.goto("/");
      await page.getByRole("heading", { name: "Sign in with an approver API key" }).waitFor();
      expect(await page.getByLabel("Work e-mail").count()).toBe(0);
    } finally {
      await keysOnly.close();
    }
  });

  it("opens a pause's own link after signing in", async () => {
    const pause = await harness.openPause({
      action: { type: "deploy", title: "Deploy api v2.3.1 to production" },
    });
    const page = await harness.newPage({ apiKey: null });
    await page.goto(`/inbox/pauses/${pause.pause_id}`);
    await page.getByLabel("API key").fill(harness.t.secondApproverKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Deploy api v2.3.1 to production" }).waitFor();
    expect(harness.pageProblems).toEqual([]);
  });
});
