import { createClient } from "@countersign/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  type EmailHarness,
  hiddenFields,
  linksIn,
  openLink,
  postDecision,
  startEmailHarness,
} from "./test-support/email-harness.ts";
import type { ReceivedMail } from "./test-support/smtp-inbox.ts";

let h: EmailHarness;

afterEach(async () => {
  await h?.close();
});

const TIME = /at \d{2}:\d{2} UTC on \d{1,2} \w{3} \d{4}/;

/** Waits `ms` so a mail that should not come has had every chance to. */
const settle = (ms = 600) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bob decides through the API, as he would from Slack or the inbox. */
async function bobDecides(pauseId: string, decision: "approve" | "reject", reason?: string): Promise<void> {
  const bob = createClient({ baseUrl: h.t.url, apiKey: h.t.secondApproverKey });
  await bob.decide(pauseId, { decision, ...(reason && { reason }) });
}

function mailsTo(address: string): ReceivedMail[] {
  return h.smtp.received.filter((mail) => mail.envelopeTo.includes(address));
}

describe("when a pause is decided", () => {
  it("tells the other recipients who decided, when and why, threaded under their mail; never the decider", async () => {
    h = await startEmailHarness();
    const { pause, mails } = await h.openPause(["carol@example.com", "dave@example.com"]);
    const [carolMail, daveMail] = mails as [ReceivedMail, ReceivedMail];
    const link = linksIn(carolMail).reject;
    const decided = await postDecision(link, {
      ...hiddenFields((await openLink(link)).page),
      decision: "reject",
      preset: "The amount or details look wrong",
      reason: "IBAN changed last week",
    });
    expect(decided.status).toBe(200);

    const followUp = await h.smtp.nextMail();
    expect(followUp.envelopeTo).toEqual(["dave@example.com"]);
    expect(followUp.parsed.subject).toBe("Decided: Pay Acme Corp $12,450");
    const text = followUp.parsed.text ?? "";
    expect(text).toMatch(new RegExp(`^Decided: rejected by carol@example\\.com ${TIME.source}`));
    expect(text).toContain("Reason: The amount or details look wrong: IBAN changed last week");
    expect(text).toContain(`Open in the inbox:\n${h.t.url}/inbox/pauses/${pause.pause_id}`);
    expect(text).not.toContain("#token=");
    expect(followUp.parsed.html).toContain("Decided: rejected by carol@example.com");
    expect(followUp.parsed.inReplyTo).toBe(daveMail.parsed.messageId);

    await settle();
    expect(mailsTo("carol@example.com")).toHaveLength(1);
    expect(mailsTo("dave@example.com")).toHaveLength(2);
    const rows = await h.t.store.listFollowUps(pause.pause_id);
    expect(rows.map((row) => [row.target, row.status]).sort()).toEqual([
      ["carol@example.com", "skipped"],
      ["dave@example.com", "sent"],
    ]);
    const notified = await h.t.store.listAudit({
      pauseId: pause.pause_id,
      type: "pause.notified",
      limit: 10,
    });
    expect(
      notified.filter((event) => event.data.follow_up === "rejected").map((event) => event.data.target),
    ).toEqual(["dave@example.com"]);
  });

  it("tells everyone once when it is decided in another channel, however often the sender runs", async () => {
    h = await startEmailHarness();
    const { pause } = await h.openPause(["carol@example.com", "dave@example.com"]);
    await bobDecides(pause.pause_id, "approve");

    const first = await h.smtp.nextMail();
    const second = await h.smtp.nextMail();
    expect([...first.envelopeTo, ...second.envelopeTo].sort()).toEqual([
      "carol@example.com",
      "dave@example.com",
    ]);
    for (const mail of [first, second]) {
      expect(mail.parsed.text).toMatch(new RegExp(`^Decided: approved by bob@example\\.com ${TIME.source}`));
      expect(mail.parsed.text).not.toContain("Reason:");
    }
    const current = await h.t.server.service.getPause(pause.pause_id);
    if (!current) throw new Error("the pause is gone");
    for (let run = 0; run < 3; run++) await h.channel.settled?.(current, h.t.server.service);
    await settle();
    expect(h.smtp.received).toHaveLength(4);
  });

  it("says so when a pause expires or the agent cancels it", async () => {
    h = await startEmailHarness();
    const { pause } = await h.openPause(["carol@example.com"]);
    await h.agent.cancel(pause.pause_id);
    const cancelled = await h.smtp.nextMail();
    expect(cancelled.parsed.subject).toBe("Cancelled: Pay Acme Corp $12,450");
    expect(cancelled.parsed.text).toMatch(new RegExp(`^Cancelled by the agent ${TIME.source}\\.`));

    const { pause: short } = await h.openPause(["dave@example.com"], { expires_in: 1 });
    const expired = await h.smtp.nextMail({ timeoutMs: 15_000 });
    expect(expired.envelopeTo).toEqual(["dave@example.com"]);
    expect(expired.parsed.text).toMatch(/^Expired: nobody decided in time/);
    expect((await h.t.server.service.getPause(short.pause_id))?.status).toBe("expired");
  });
});

describe("follow-ups survive the process", () => {
  it("sends what a process that died after the decision still owed, from the next one, once", async () => {
    h = await startEmailHarness({ followUpIntervalMs: 50 });
    const { pause } = await h.openPause(["carol@example.com", "dave@example.com"]);
    // This process's sender dies before the decision: the decision commits, nobody mails.
    await h.channel.stop?.();
    await bobDecides(pause.pause_id, "reject", "Wrong vendor");
    await settle();
    expect(h.smtp.received).toHaveLength(2);
    const owed = await h.t.store.listFollowUps(pause.pause_id);
    expect(owed.map((row) => row.status)).toEqual(["waiting", "waiting"]);

    // The next process starts and sends them, each once, however many run.
    await h.anotherChannel();
    await h.anotherChannel();
    const first = await h.smtp.nextMail();
    const second = await h.smtp.nextMail();
    expect([...first.envelopeTo, ...second.envelopeTo].sort()).toEqual([
      "carol@example.com",
      "dave@example.com",
    ]);
    expect(first.parsed.text).toContain("Reason: Wrong vendor");
    await settle();
    expect(h.smtp.received).toHaveLength(4);
    expect((await h.t.store.listFollowUps(pause.pause_id)).map((row) => row.status)).toEqual([
      "sent",
      "sent",
    ]);
  });

  it("keeps a follow-up the mail server turned away, and sends it on a later try", async () => {
    h = await startEmailHarness({ followUpIntervalMs: 50 });
    const { pause } = await h.openPause(["carol@example.com"]);
    h.smtp.refuseNext(1);
    await bobDecides(pause.pause_id, "approve");
    await settle();
    expect(h.smtp.received).toHaveLength(1);
    const [owed] = await h.t.store.listFollowUps(pause.pause_id);
    expect(owed).toMatchObject({ status: "waiting", attempts: 1 });
    expect(owed?.lastError).toContain("try again later");

    // The retry waits about a minute; once that has passed, the next run sends it.
    h.advanceClock(61);
    const mail = await h.smtp.nextMail();
    expect(mail.envelopeTo).toEqual(["carol@example.com"]);
    expect(mail.parsed.text).toMatch(/^Decided: approved by bob@example\.com/);
    // Marked sent once the server accepted it (just after the mail arrives).
    for (let tries = 0; tries < 50; tries++) {
      if ((await h.t.store.listFollowUps(pause.pause_id))[0]?.status !== "waiting") break;
      await settle(50);
    }
    const [sent] = await h.t.store.listFollowUps(pause.pause_id);
    expect(sent).toMatchObject({ status: "sent", attempts: 2 });
  });
});
