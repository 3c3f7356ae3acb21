import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { type EmailHarness, startEmailHarness } from "./test-support/email-harness.ts";
import type { ReceivedMail } from "./test-support/smtp-inbox.ts";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let browser: Browser;
let h: EmailHarness;
const dialogs: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run bash scripts/ensure-chromium.sh`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  h = await startEmailHarness();
  dialogs.length = 0;
});

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await h?.close();
});

/** The link as a mail client shows it: the href of the HTML part's button. */
function buttonLink(mail: ReceivedMail, label: "Approve…" | "Reject…"): string {
  const html = typeof mail.parsed.html === "string" ? mail.parsed.html : "";
  const match = new RegExp(`<a href="([^"]+)"[^>]*>${label}</a>`).exec(html);
  if (!match?.[1]) throw new Error(`no ${label} button in the mail`);
  return match[1].replaceAll("&amp;", "&");
}

/** Runs `action` (a click or a key press that submits the form) and waits for the page it loads. */
async function submitting(page: Page, action: () => Promise<void>): Promise<number> {
  const response = page.waitForResponse((candidate) => candidate.request().method() === "POST");
  const loaded = page.waitForEvent("load");
  await action();
  const status = (await response).status();
  await loaded;
  return status;
}

/**
 * Opens a link from the mail as a person would: the landing page's script
 * posts the fragment's token to the page that shows the request. Returns
 * that page's status.
 */
async function openFromMail(page: Page, link: string): Promise<number> {
  const shown = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.url().endsWith("/email/decide/open"),
  );
  await page.goto(link, { waitUntil: "commit" });
  const status = (await shown).status();
  await page.waitForURL("**/email/decide/open");
  await page.waitForLoadState("load");
  return status;
}

async function headingOf(page: Page): Promise<string> {
  return ((await page.locator("h1").textContent()) ?? "").trim();
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return page;
}

it("rejects with a reason in Chromium: the agent's proof names the recipient and the e-mail channel", async () => {
  const title = `<img src=x onerror=alert(1)> Pay "Acme" & Sons`;
  const { pause, mails } = await h.openPause(["carol@example.com"], {
    action: { type: "payment", title, data: { payee: "Acme & Sons", amount: 12450 }, risk: "high" },
  });
  const page = await newPage();
  const link = buttonLink(mails[0] as ReceivedMail, "Reject…");
  const token = new URLSearchParams(new URL(link).hash.slice(1)).get("token") ?? "";
  const requested: string[] = [];
  page.on("request", (request) => {
    requested.push(`${request.url()} ${request.headers().referer ?? ""}`);
  });
  expect(await openFromMail(page, link)).toBe(200);
  expect(await headingOf(page)).toBe("Reject this request?");
  // What a proxy or the server's access log sees: no request line or Referer ever held the token.
  expect(requested.length).toBeGreaterThanOrEqual(2);
  for (const line of requested) expect(line).not.toContain(token);
  // Agent text is shown as text, never run as markup.
  expect(await page.getByRole("heading", { name: title, exact: true }).count()).toBe(1);
  expect(await page.locator("img").count()).toBe(0);
  expect((await page.locator("pre").textContent()) ?? "").toContain('"payee": "Acme & Sons"');

  await page.getByLabel("The amount or details look wrong").check();
  await page.getByLabel("Reason", { exact: true }).fill("The IBAN changed last week");
  expect(await submitting(page, () => page.getByRole("button", { name: "Reject" }).click())).toBe(200);
  expect(await headingOf(page)).toBe("Rejected");
  expect((await page.getByRole("status").textContent()) ?? "").toContain(
    "The amount or details look wrong: The IBAN changed last week",
  );

  const result = await h.agent.verifyDecision(await h.agent.getPause(pause.pause_id), { keys: h.t.jwks });
  expect(result.approved).toBe(false);
  expect(result.status).toBe("rejected");
  expect(result.reason).toBe("The amount or details look wrong: The IBAN changed last week");
  expect(result.proof?.decided_by).toEqual({ kind: "human", id: "carol@example.com", channel: "email" });
  expect(dialogs).toEqual([]);
});

it("says what is missing when Reject is pressed without a reason, and decides nothing", async () => {
  const { pause, mails } = await h.openPause(["carol@example.com"]);
  const page = await newPage();
  await openFromMail(page, buttonLink(mails[0] as ReceivedMail, "Reject…"));
  expect(await submitting(page, () => page.getByRole("button", { name: "Reject" }).click())).toBe(422);
  expect((await page.getByRole("alert").textContent()) ?? "").toBe(
    "Give a reason to reject: pick one or write your own.",
  );
  expect(await page.getByLabel("Reason", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  expect((await h.t.server.service.getPause(pause.pause_id))?.status).toBe("pending");

  await page.getByLabel("Reason", { exact: true }).fill("Wrong vendor");
  expect(await submitting(page, () => page.getByRole("button", { name: "Reject" }).click())).toBe(200);
  expect(await headingOf(page)).toBe("Rejected");
  expect((await h.t.server.service.getPause(pause.pause_id))?.decision?.reason).toBe("Wrong vendor");
});

it("approves from the keyboard, then refuses the same link with who decided", async () => {
  const { pause, mails } = await h.openPause(["carol@example.com"]);
  const link = buttonLink(mails[0] as ReceivedMail, "Approve…");
  const page = await newPage();
  await openFromMail(page, link);
  expect(await headingOf(page)).toBe("Approve this request?");
  await page.getByLabel("Reason", { exact: true }).focus();
  await page.keyboard.type("Matches the purchase order");
  await page.keyboard.press("Tab");
  const approveFocused = await page
    .getByRole("button", { name: "Approve" })
    .evaluate((button) => button === document.activeElement);
  expect(approveFocused).toBe(true);
  expect(await submitting(page, () => page.keyboard.press("Enter"))).toBe(200);
  expect(await headingOf(page)).toBe("Approved");

  const result = await h.agent.verifyDecision(await h.agent.getPause(pause.pause_id), { keys: h.t.jwks });
  expect(result.approved).toBe(true);
  expect(result.reason).toBe("Matches the purchase order");
  expect(result.proof?.decided_by).toEqual({ kind: "human", id: "carol@example.com", channel: "email" });

  const again = await newPage();
  expect(await openFromMail(again, link)).toBe(409);
  expect(await headingOf(again)).toBe("Already approved by carol@example.com");
  expect(await again.getByRole("button").count()).toBe(0);
});

it("refuses an expired link with a clear page", async () => {
  const { pause, mails } = await h.openPause(["carol@example.com"]);
  h.advanceClock(3600 + 1);
  const page = await newPage();
  expect(await openFromMail(page, buttonLink(mails[0] as ReceivedMail, "Approve…"))).toBe(410);
  expect(await headingOf(page)).toBe("This link has expired");
  expect((await h.t.server.service.getPause(pause.pause_id))?.status).toBe("pending");
});

it("says so when script is off, and decides nothing", async () => {
  const { pause, mails } = await h.openPause(["carol@example.com"]);
  const context = await browser.newContext({ javaScriptEnabled: false });
  contexts.push(context);
  const page = await context.newPage();
  const opened = await page.goto(buttonLink(mails[0] as ReceivedMail, "Approve…"));
  expect(opened?.status()).toBe(200);
  const headings = page.getByRole("heading", { level: 1 });
  expect(await headings.allTextContents()).toEqual(["This page needs JavaScript"]);
  expect(await page.getByRole("link", { name: "Countersign inbox" }).getAttribute("href")).toBe(
    `${h.t.url}/inbox/`,
  );
  expect((await h.t.server.service.getPause(pause.pause_id))?.status).toBe("pending");
});
