import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@countersign/core";
import {
  createApprovalServer,
  listen,
  type Store,
  silentLogger,
  sqliteStore,
} from "@countersign/core/server";
import { afterEach, beforeEach, expect, it } from "vitest";
import { UsageError } from "../usage-error.ts";
import { emailChannelFromEnv } from "./email-from-env.ts";
import { hiddenFields, linksIn, openLink, postDecision } from "./test-support/email-harness.ts";
import { type SmtpInbox, startSmtpInbox } from "./test-support/smtp-inbox.ts";

let dataDir: string;
let store: Store;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "countersign-email-env-"));
  store = sqliteStore(join(dataDir, "countersign.db"));
  await store.migrate();
});

afterEach(async () => {
  await store.close().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
});

it("is off without COUNTERSIGN_SMTP_URL and needs COUNTERSIGN_SMTP_FROM with it", async () => {
  expect(await emailChannelFromEnv({}, store)).toBeNull();
  await expect(emailChannelFromEnv({ COUNTERSIGN_SMTP_URL: "smtp://mail.acme.com" }, store)).rejects.toThrow(
    UsageError,
  );
  await expect(
    emailChannelFromEnv(
      { COUNTERSIGN_SMTP_URL: "http://mail.acme.com", COUNTERSIGN_SMTP_FROM: "a@acme.com" },
      store,
    ),
  ).rejects.toThrow("COUNTERSIGN_SMTP_URL: The SMTP URL must start with smtp:// or smtps://");
});

it("wires the store in: a stored link secret, mapped identities and single-use links", async () => {
  const smtp: SmtpInbox = await startSmtpInbox();
  const env = { COUNTERSIGN_SMTP_URL: smtp.url, COUNTERSIGN_SMTP_FROM: "approvals@acme.com" };
  const at = new Date().toISOString();
  await store.putIdentity({
    identity: "carol",
    email: "carol@acme.com",
    slackUserId: null,
    displayName: null,
    groups: [],
    createdAt: at,
    updatedAt: at,
  });
  const channel = await emailChannelFromEnv(env, store, silentLogger);
  if (!channel) throw new Error("the channel should be on");
  const secret = await store.getSetting("web.secret");
  expect(secret?.length).toBeGreaterThanOrEqual(32);
  // A second server on the same store signs with the same secret, so its links keep working.
  await emailChannelFromEnv(env, store, silentLogger);
  expect(await store.getSetting("web.secret")).toBe(secret);

  const server = await createApprovalServer({
    store,
    channels: [channel],
    log: silentLogger,
    background: false,
  });
  const listening = await listen(server, { port: 0 });
  try {
    const { key } = await server.issueApiKey({
      role: "agent",
      identity: "owner@acme.com",
      agentIds: ["billing-agent"],
    });
    const agent = createClient({ baseUrl: listening.url, apiKey: key });
    const pause = await agent.createPause({
      agent_id: "billing-agent",
      action: { type: "refund", title: "Refund order 1042" },
      recipients: [{ channel: "email", target: "carol@acme.com" }],
    });
    const mail = await smtp.nextMail();
    expect(mail.parsed.from?.text).toBe("approvals@acme.com");
    const link = linksIn(mail).approve;
    const fields = hiddenFields((await openLink(link)).page);
    expect((await postDecision(link, { ...fields, decision: "approve" })).status).toBe(200);
    const decided = await agent.getPause(pause.pause_id);
    expect(decided.decision?.decided_by).toEqual({ kind: "human", id: "carol", channel: "email" });
    expect((await postDecision(link, { ...fields, decision: "approve" })).status).toBe(409);
  } finally {
    await listening.close();
    await server.close();
    await smtp.close();
  }
});
