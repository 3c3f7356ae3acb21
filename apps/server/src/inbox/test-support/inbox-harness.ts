import { type Action, createClient, type Pause, type PauseRequest } from "@countersign/core";
import { silentLogger } from "@countersign/core/server";
import { startTestServer, type TestServer, type TestServerOptions } from "@countersign/core/testing";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import type { InboxOptions, SignInLinkMessage } from "../inbox-options.ts";
import { type MountedInbox, mountInbox } from "../mount-inbox.ts";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A phone-sized viewport: the inbox is designed for it first. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export const PAYMENT: Action = {
  type: "payment",
  title: "Pay Acme Corp $12,450",
  description: "Invoice INV-2041 for the Q3 hosting contract",
  body: "**Acme Corp** invoiced the Q3 hosting contract.\n\n- Invoice: `INV-2041`\n- Due: 30 November\n\nPaid from the *operating* account.",
  data: { payee: "Acme Corp", amount: 12450, currency: "USD", invoice: "INV-2041" },
  risk: "high",
};

export interface InboxHarness {
  t: TestServer;
  inbox: MountedInbox;
  /** Sign-in links the inbox asked to send (the e-mail channel's hook). */
  sentLinks: SignInLinkMessage[];
  agent: ReturnType<typeof createClient>;
  /** Uncaught page errors and Content-Security-Policy violations seen in any page. */
  pageProblems: string[];
  openPause(overrides?: Partial<PauseRequest>): Promise<Pause>;
  /** A fresh browser profile; signed in with `apiKey` through the sign-in form unless it is null. */
  newPage(options?: {
    apiKey?: string | null;
    phone?: boolean;
    colorScheme?: "light" | "dark";
  }): Promise<Page>;
  close(): Promise<void>;
}

/** The real server with the inbox mounted, the real inbox build, and Debian's chromium. */
export async function startInboxHarness(
  inboxOptions: Partial<InboxOptions> = {},
  serverOptions: TestServerOptions = {},
): Promise<InboxHarness> {
  const t = await startTestServer(serverOptions);
  const sentLinks: SignInLinkMessage[] = [];
  const inbox = await mountInbox(t.server, {
    store: t.store,
    log: silentLogger,
    sendSignInLink: async (message) => {
      sentLinks.push(message);
    },
    ...inboxOptions,
  });
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const contexts: BrowserContext[] = [];
  const pageProblems: string[] = [];
  const agent = createClient({ baseUrl: t.url, apiKey: t.agentKey });

  return {
    t,
    inbox,
    sentLinks,
    agent,
    pageProblems,
    openPause: (overrides = {}) =>
      agent.createPause({
        agent_id: "billing-agent",
        action: PAYMENT,
        recipients: [{ channel: "web", target: "finance-approvers" }],
        expires_in: 900,
        ...overrides,
      }),
    async newPage(options = {}) {
      const context = await browser.newContext({
        ...(options.phone === false ? { viewport: { width: 1200, height: 900 } } : PHONE),
        baseURL: t.url,
        locale: "en-GB",
        timezoneId: "UTC",
        colorScheme: options.colorScheme ?? "light",
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(5_000);
      // Loading a page waits longer: on a shared, busy machine a first load can take seconds.
      page.setDefaultNavigationTimeout(20_000);
      page.on("pageerror", (error) => pageProblems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.text().includes("Content Security Policy")) pageProblems.push(message.text());
      });
      const apiKey = options.apiKey === undefined ? t.approverKey : options.apiKey;
      if (apiKey !== null) await signInWithKey(page, apiKey);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await t.close();
    },
  };
}

/**
 * Approves the open card of a high or critical risk pause: Approve, then the
 * confirm dialog's "Yes, approve" (the inbox asks twice at that risk).
 */
export async function approveWithConfirmation(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Yes, approve" }).click();
}

/** Signs in through the form, as an approver pasting their key would. */
export async function signInWithKey(page: Page, apiKey: string): Promise<void> {
  await page.goto("/");
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: /Waiting for you/ }).waitFor();
}
