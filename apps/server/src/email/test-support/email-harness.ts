import { type CountersignClient, createClient, type Pause, type PauseRequest } from "@countersign/core";
import { type PolicyHook, silentLogger } from "@countersign/core/server";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { type EmailChannel, emailChannel } from "../email-channel.ts";
import { type ReceivedMail, type SmtpInbox, startSmtpInbox } from "./smtp-inbox.ts";

export const FROM = "Countersign <approvals@example.com>";

export interface EmailHarness {
  t: TestServer;
  smtp: SmtpInbox;
  channel: EmailChannel;
  agent: CountersignClient;
  /** Moves the e-mail channel's clock (only its own: the server keeps real time). */
  advanceClock(seconds: number): void;
  /**
   * Another e-mail channel on the same store and SMTP server, started, as a
   * second or restarted server process has it. Stopped by `close`.
   */
  anotherChannel(): Promise<EmailChannel>;
  /** Opens a pause routed to `emails` and returns it with the one mail each recipient got. */
  openPause(
    emails: string[],
    overrides?: Partial<PauseRequest>,
  ): Promise<{ pause: Pause; mails: ReceivedMail[] }>;
  close(): Promise<void>;
}

/** The approvers the harness registers: only known approvers get decision e-mails. */
export const APPROVERS = ["carol@example.com", "dave@example.com"];

/** The real approval server with the e-mail channel, sending over real SMTP to a local inbox. */
export async function startEmailHarness(
  options: {
    policy?: PolicyHook;
    smtpUrl?: (inboxUrl: string) => string;
    approvers?: string[];
    followUpIntervalMs?: number;
  } = {},
): Promise<EmailHarness> {
  const smtp = await startSmtpInbox();
  let offsetMs = 0;
  let server: TestServer | null = null;
  const store = () => {
    if (!server) throw new Error("the test server is not up yet");
    return server.store;
  };
  const others: EmailChannel[] = [];
  const makeChannel = () =>
    emailChannel({
      smtp: options.smtpUrl ? options.smtpUrl(smtp.url) : smtp.url,
      from: FROM,
      secret: "test-email-link-secret-0123456789abcdefgh",
      consumeToken: (tokenId, expiresAt) => store().consumeToken(tokenId, expiresAt),
      followUps: {
        addFollowUp: (followUp) => store().addFollowUp(followUp),
        leaseDueFollowUps: (...args) => store().leaseDueFollowUps(...args),
        finishFollowUp: (...args) => store().finishFollowUp(...args),
      },
      ...(options.followUpIntervalMs !== undefined && { followUpIntervalMs: options.followUpIntervalMs }),
      now: () => new Date(Date.now() + offsetMs),
      log: silentLogger,
    });
  const channel = makeChannel();
  const t = await startTestServer({ channels: [channel], ...(options.policy && { policy: options.policy }) });
  server = t;
  for (const email of options.approvers ?? APPROVERS) await putApprover(t, email);
  const agent = createClient({ baseUrl: t.url, apiKey: t.agentKey });
  return {
    t,
    smtp,
    channel,
    agent,
    async anotherChannel() {
      const other = makeChannel();
      others.push(other);
      await other.start?.(t.server.service);
      return other;
    },
    advanceClock(seconds) {
      offsetMs += seconds * 1000;
    },
    async openPause(emails, overrides = {}) {
      const pause = await agent.createPause({
        agent_id: "billing-agent",
        action: {
          type: "payment",
          title: "Pay Acme Corp $12,450",
          description: "Invoice INV-2041, due Friday",
          data: { payee: "Acme Corp", amount: 12450, currency: "USD" },
          risk: "high",
        },
        recipients: emails.map((target) => ({ channel: "email", target })),
        ...overrides,
      });
      const mails: ReceivedMail[] = [];
      for (const _ of emails) mails.push(await smtp.nextMail());
      // The channel records `pause.notified` after the server accepted the message.
      await t.server.idle();
      return { pause, mails };
    },
    async close() {
      for (const other of others) await other.stop?.();
      await t.close();
      await smtp.close();
    },
  };
}

/** Registers an approver identity (with that e-mail address) in the server's store. */
export async function putApprover(t: TestServer, email: string, groups: string[] = []): Promise<void> {
  const now = new Date().toISOString();
  await t.store.putIdentity({
    identity: email,
    email,
    slackUserId: null,
    displayName: null,
    groups,
    createdAt: now,
    updatedAt: now,
  });
}

/** The Approve, Reject and inbox links of a decision e-mail, read from its plain-text part. */
export function linksIn(mail: ReceivedMail): { approve: string; reject: string; inbox: string } {
  const text = mail.parsed.text ?? "";
  const after = (label: string) => {
    const lines = text.split("\n");
    const index = lines.findIndex((line) => line.startsWith(label));
    const url = lines[index + 1]?.trim();
    if (index < 0 || !url) throw new Error(`no ${label} link in the mail`);
    return url;
  };
  return { approve: after("Approve"), reject: after("Reject"), inbox: after("Open in the inbox") };
}

/**
 * Opens a decision link the way a browser does: `GET` the landing page (the
 * fragment stays in the browser), then what its script does, posting the
 * fragment's token to the page that shows the request.
 */
export async function openLink(url: string): Promise<{ status: number; page: string }> {
  const link = new URL(url);
  const landing = await fetch(link);
  const landingPage = await landing.text();
  if (landing.status !== 200 || !landingPage.includes('<form id="open"')) {
    return { status: landing.status, page: landingPage };
  }
  return openToken(url, new URLSearchParams(link.hash.slice(1)).get("token") ?? "");
}

/** Posts `token` to the page that shows the request behind a decision link (`<link path>/open`). */
export async function openToken(url: string, token: string): Promise<{ status: number; page: string }> {
  const link = new URL(url);
  const response = await fetch(`${link.origin}${link.pathname}/open`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: link.origin },
    body: new URLSearchParams({ token }).toString(),
  });
  return { status: response.status, page: await response.text() };
}

/** The hidden fields of the confirmation page, to post it the way the browser would. */
export function hiddenFields(page: string): { token: string; csrf: string } {
  const field = (name: string) => {
    const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(page);
    if (!match?.[1]) throw new Error(`no ${name} field on the page`);
    return match[1].replaceAll("&amp;", "&");
  };
  return { token: field("token"), csrf: field("csrf") };
}

/** Posts the confirmation form like a browser on the server's own origin. */
export async function postDecision(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = { origin: new URL(url).origin },
): Promise<{ status: number; page: string }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, page: await response.text() };
}
