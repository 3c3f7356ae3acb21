import type { PolicyHook } from "@countersign/core/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type EmailHarness,
  FROM,
  hiddenFields,
  linksIn,
  openLink,
  openToken,
  postDecision,
  putApprover,
  startEmailHarness,
} from "./test-support/email-harness.ts";
import type { ReceivedMail } from "./test-support/smtp-inbox.ts";

let h: EmailHarness;

afterEach(async () => {
  await h?.close();
});

/** Every href of the HTML part, unescaped the way a mail client reads them. */
function hrefsIn(mail: ReceivedMail): string[] {
  const html = typeof mail.parsed.html === "string" ? mail.parsed.html : "";
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => (match[1] ?? "").replaceAll("&amp;", "&"));
}

async function statusOf(pauseId: string): Promise<string | undefined> {
  return (await h.t.server.service.getPause(pauseId))?.status;
}

describe("the decision e-mail", () => {
  beforeEach(async () => {
    h = await startEmailHarness();
  });

  it("goes out over SMTP, one per e-mail recipient, with the card in HTML and plain text and three links", async () => {
    const title = `<script>alert("x")</script> Pay "Acme" & Sons`;
    const { pause, mails } = await h.openPause(["carol@example.com", "dave@example.com"], {
      action: {
        type: "payment",
        title,
        description: "Invoice <b>INV-2041</b>",
        data: { payee: "Acme & Sons", amount: 12450, memo: "<img src=x onerror=alert(1)>" },
        risk: "high",
      },
    });
    const [carol, dave] = mails as [ReceivedMail, ReceivedMail];
    expect(carol.envelopeTo).toEqual(["carol@example.com"]);
    expect(dave.envelopeTo).toEqual(["dave@example.com"]);
    expect(carol.authenticatedAs).toBe("countersign");
    expect(carol.parsed.from?.text).toBe(FROM.replace("Countersign", '"Countersign"'));
    expect(carol.parsed.subject).toBe(`Approval needed: ${title}`);

    const text = carol.parsed.text ?? "";
    expect(text).toContain(title);
    expect(text).toContain("Invoice <b>INV-2041</b>");
    expect(text).toContain("Risk: high");
    expect(text).toContain(`"memo": "<img src=x onerror=alert(1)>"`);
    expect(text).toMatch(/Expires: \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);

    const html = carol.parsed.html;
    expect(typeof html).toBe("string");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>INV");
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Pay &quot;Acme&quot; &amp; Sons",
    );
    expect(html).toContain("&quot;memo&quot;: &quot;&lt;img src=x onerror=alert(1)&gt;&quot;");
    expect(html).toContain("high");

    const links = linksIn(carol);
    // The token is in the fragment, which no server, proxy or Referer ever sees.
    expect(links.approve.startsWith(`${h.t.url}/email/decide#token=`)).toBe(true);
    expect(links.reject.startsWith(`${h.t.url}/email/decide#token=`)).toBe(true);
    expect(links.approve).not.toBe(links.reject);
    expect(links.inbox).toBe(`${h.t.url}/inbox/pauses/${pause.pause_id}`);
    expect(hrefsIn(carol)).toEqual([links.approve, links.reject, links.inbox]);
    expect(linksIn(dave).approve).not.toBe(links.approve);

    const notified = await h.t.store.listAudit({
      pauseId: pause.pause_id,
      type: "pause.notified",
      limit: 10,
    });
    expect(notified.map((event) => event.data.target).sort()).toEqual([
      "carol@example.com",
      "dave@example.com",
    ]);
    expect(notified[0]?.data.channel).toBe("email");
  });

  it("skips a target that is not one plain address and still mails the others", async () => {
    const { mails } = await h.openPause(["carol@example.com"], {
      recipients: [
        { channel: "email", target: "mallory@example.com, eve@example.com" },
        { channel: "email", target: "carol@example.com" },
      ],
    });
    await h.t.server.idle();
    expect(mails[0]?.envelopeTo).toEqual(["carol@example.com"]);
    expect(h.smtp.received).toHaveLength(1);
  });
});

describe("the inbox sign-in e-mail", () => {
  beforeEach(async () => {
    h = await startEmailHarness();
  });

  it("mails the one-time link in both parts to that address only", async () => {
    const url = `${h.t.url}/inbox/sign-in?token=abc&next=%2Fpauses`;
    await h.channel.sendSignInLink({
      identity: "carol",
      email: "carol@example.com",
      url,
      expiresAt: "2026-11-21T10:15:00.000Z",
    });
    const mail = await h.smtp.nextMail();
    expect(mail.envelopeTo).toEqual(["carol@example.com"]);
    expect(mail.parsed.subject).toBe("Your Countersign sign-in link");
    expect(mail.parsed.text).toContain(url);
    expect(mail.parsed.text).toContain("expires 21 Nov 2026, 10:15 UTC");
    expect(hrefsIn(mail)).toEqual([url]);
    await expect(
      h.channel.sendSignInLink({
        identity: "x",
        email: "a@example.com, b@example.com",
        url,
        expiresAt: "2026-11-21T10:15:00.000Z",
      }),
    ).rejects.toThrow("not a single e-mail address");
  });
});

describe("opening a link", () => {
  beforeEach(async () => {
    h = await startEmailHarness();
  });

  it("decides nothing, however often a mail scanner fetches it or runs its script", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    const links = linksIn(mails[0] as ReceivedMail);
    for (const url of [links.approve, links.reject, links.approve]) {
      const landing = await fetch(url);
      expect(landing.status).toBe(200);
      expect(await landing.text()).not.toContain("Pay Acme Corp");
      const { status, page } = await openLink(url);
      expect(status).toBe(200);
      expect(page).toContain("Pay Acme Corp $12,450");
    }
    const head = await fetch(links.approve, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await statusOf(pause.pause_id)).toBe("pending");
    expect(await h.t.store.listAudit({ pauseId: pause.pause_id, type: "pause.decided", limit: 10 })).toEqual(
      [],
    );

    // The prefetch did not spend the link: the person can still decide with it.
    const { page } = await openLink(links.approve);
    const decided = await postDecision(links.approve, { ...hiddenFields(page), decision: "approve" });
    expect(decided.status).toBe(200);
    expect(decided.page).toContain("You approved");
  });

  it("preselects the link's choice and serves locked-down pages", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    const links = linksIn(mails[0] as ReceivedMail);
    const landing = await fetch(links.approve);
    const landingPolicy = landing.headers.get("content-security-policy") ?? "";
    expect(landingPolicy).toContain("default-src 'none'");
    expect(landingPolicy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(landing.headers.get("cache-control")).toBe("no-store");

    const token = new URLSearchParams(new URL(links.approve).hash.slice(1)).get("token") ?? "";
    const approve = await fetch(`${h.t.url}/email/decide/open`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    const approvePage = await approve.text();
    expect(approvePage).toContain("<h1>Approve this request?</h1>");
    expect(approvePage).toContain(`href="${h.t.url}/inbox/pauses/${pause.pause_id}"`);
    expect(approvePage.indexOf('value="approve"')).toBeLessThan(approvePage.indexOf('value="reject"'));
    expect(approve.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(approve.headers.get("content-security-policy")).not.toContain("script-src");
    expect(approvePage).not.toContain("<script");
    expect(approve.headers.get("referrer-policy")).toBe("same-origin");
    expect(approve.headers.get("cache-control")).toBe("no-store");
    const rejectPage = (await openLink(links.reject)).page;
    expect(rejectPage).toContain("<h1>Reject this request?</h1>");
    expect(rejectPage.indexOf('value="reject"')).toBeLessThan(rejectPage.indexOf('value="approve"'));
  });
});

describe("deciding from the confirmation page", () => {
  beforeEach(async () => {
    h = await startEmailHarness();
  });

  it("attributes the decision to the recipient in the proof and the audit log", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    const link = linksIn(mails[0] as ReceivedMail).reject;
    const fields = hiddenFields((await openLink(link)).page);
    const { status, page } = await postDecision(link, {
      ...fields,
      decision: "reject",
      preset: "The amount or details look wrong",
      reason: "IBAN changed last week",
    });
    expect(status).toBe(200);
    expect(page).toContain("You rejected");

    const result = await h.agent.verifyDecision(await h.agent.getPause(pause.pause_id), { keys: h.t.jwks });
    expect(result.approved).toBe(false);
    expect(result.status).toBe("rejected");
    expect(result.reason).toBe("The amount or details look wrong: IBAN changed last week");
    expect(result.proof?.decided_by).toEqual({ kind: "human", id: "carol@example.com", channel: "email" });
    const [decided] = await h.t.store.listAudit({
      pauseId: pause.pause_id,
      type: "pause.decided",
      limit: 10,
    });
    expect(decided?.actor).toEqual({ kind: "human", id: "carol@example.com" });
    expect(decided?.data.channel).toBe("email");
  });

  it("needs a reason to reject, and keeps the link usable until one is given", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    const link = linksIn(mails[0] as ReceivedMail).reject;
    const fields = hiddenFields((await openLink(link)).page);
    const missing = await postDecision(link, { ...fields, decision: "reject", reason: "   " });
    expect(missing.status).toBe(422);
    expect(missing.page).toContain("Give a reason to reject");
    expect(missing.page).toContain('aria-invalid="true"');
    expect(await statusOf(pause.pause_id)).toBe("pending");

    const given = await postDecision(link, {
      ...fields,
      decision: "reject",
      preset: "Needs more information first",
    });
    expect(given.status).toBe(200);
    expect((await h.t.server.service.getPause(pause.pause_id))?.decision?.reason).toBe(
      "Needs more information first",
    );
  });

  it("refuses a form without its CSRF token or from another origin, deciding nothing", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    const link = linksIn(mails[0] as ReceivedMail).approve;
    const fields = hiddenFields((await openLink(link)).page);
    const wrongCsrf = await postDecision(link, { ...fields, csrf: "x".repeat(43), decision: "approve" });
    expect(wrongCsrf.status).toBe(403);
    expect(wrongCsrf.page).toContain("nothing was decided");
    const noCsrf = await postDecision(link, { token: fields.token, decision: "approve" });
    expect(noCsrf.status).toBe(403);
    const otherOrigin = await postDecision(
      link,
      { ...fields, decision: "approve" },
      { origin: "https://evil.example" },
    );
    expect(otherOrigin.status).toBe(403);
    const crossSite = await postDecision(
      link,
      { ...fields, decision: "approve" },
      { "sec-fetch-site": "cross-site" },
    );
    expect(crossSite.status).toBe(403);
    expect(await statusOf(pause.pause_id)).toBe("pending");

    const good = await postDecision(link, { ...fields, decision: "approve" });
    expect(good.status).toBe(200);
    expect(await statusOf(pause.pause_id)).toBe("approved");
  });

  it("decides as the identity an address is mapped to", async () => {
    const at = new Date().toISOString();
    await h.t.store.deleteIdentity("carol@example.com");
    await h.t.store.putIdentity({
      identity: "carol",
      email: "Carol@Example.com",
      slackUserId: null,
      displayName: "Carol",
      groups: [],
      createdAt: at,
      updatedAt: at,
    });
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    expect(mails[0]?.parsed.text).toContain("The Approve and Reject links are for carol only");
    const link = linksIn(mails[0] as ReceivedMail).approve;
    const approved = await postDecision(link, {
      ...hiddenFields((await openLink(link)).page),
      decision: "approve",
    });
    expect(approved.page).toContain("You approved “Pay Acme Corp $12,450” as carol.");
    const result = await h.agent.verifyDecision(await h.agent.getPause(pause.pause_id), { keys: h.t.jwks });
    expect(result.approved).toBe(true);
    expect(result.proof?.decided_by).toEqual({ kind: "human", id: "carol", channel: "email" });
  });

  it("never lets the requester approve their own pause by e-mail", async () => {
    // The agent's owner is also an approver here: still never for their own agent's pause.
    await putApprover(h.t, "agent-owner@example.com");
    const { pause, mails } = await h.openPause(["agent-owner@example.com"]);
    const link = linksIn(mails[0] as ReceivedMail).approve;
    const attempt = await postDecision(link, {
      ...hiddenFields((await openLink(link)).page),
      decision: "approve",
    });
    expect(attempt.status).toBe(403);
    expect(attempt.page).toContain("You may not decide this request");
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });
});

describe("refused links", () => {
  beforeEach(async () => {
    h = await startEmailHarness();
  });

  it("refuses a link once the pause is decided, naming who decided", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    const links = linksIn(mails[0] as ReceivedMail);
    const fields = hiddenFields((await openLink(links.approve)).page);
    expect((await postDecision(links.approve, { ...fields, decision: "approve" })).status).toBe(200);

    const again = await postDecision(links.approve, {
      ...fields,
      decision: "reject",
      reason: "changed my mind",
    });
    expect(again.status).toBe(409);
    expect(again.page).toContain("Already approved by carol@example.com");
    for (const url of [links.approve, links.reject]) {
      const reopened = await openLink(url);
      expect(reopened.status).toBe(409);
      expect(reopened.page).toContain("Already approved by carol@example.com");
    }
    expect(await statusOf(pause.pause_id)).toBe("approved");
  });

  it("refuses an expired link, and links never outlive seven days", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"], { expires_in: 30 * 24 * 3600 });
    const link = linksIn(mails[0] as ReceivedMail).approve;
    const fields = hiddenFields((await openLink(link)).page);
    h.advanceClock(7 * 24 * 3600 - 60);
    expect((await openLink(link)).status).toBe(200);
    h.advanceClock(120);
    const expired = await openLink(link);
    expect(expired.status).toBe(410);
    expect(expired.page).toContain("This link has expired");
    const posted = await postDecision(link, { ...fields, decision: "approve" });
    expect(posted.status).toBe(410);
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });

  it("refuses a link with the pause's expiry", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"], { expires_in: 600 });
    const link = linksIn(mails[0] as ReceivedMail).reject;
    h.advanceClock(601);
    const expired = await openLink(link);
    expect(expired.status).toBe(410);
    expect(expired.page).toContain("This link has expired");
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });

  it("carries nothing readable: neither the pause, nor the person, nor the address", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    for (const link of [
      linksIn(mails[0] as ReceivedMail).approve,
      linksIn(mails[0] as ReceivedMail).reject,
    ]) {
      const token = new URLSearchParams(new URL(link).hash.slice(1)).get("token") ?? "";
      const decoded = Buffer.from(token, "base64url").toString("latin1");
      for (const secret of ["carol", pause.pause_id, "approve", "reject", "identity"]) {
        expect(link).not.toContain(secret);
        expect(decoded).not.toContain(secret);
      }
    }
  });

  it("refuses a tampered, cut or foreign token", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    const link = linksIn(mails[0] as ReceivedMail).approve;
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get("token") ?? "";
    const bytes = Buffer.from(token, "base64url");
    const flipped = Buffer.from(bytes);
    flipped[30] = (flipped[30] ?? 0) ^ 0x01;
    // The readable, signed format earlier releases mailed is refused too.
    const oldFormat = `${Buffer.from(JSON.stringify({ v: 1, pause_id: pause.pause_id })).toString("base64url")}.c2lnbmF0dXJl`;
    const variants = [flipped.toString("base64url"), token.slice(0, -5), oldFormat, "", "not-a-token"];
    for (const variant of variants) {
      const { status, page } = await openToken(link, variant);
      expect(status, variant).toBe(400);
      expect(page).toContain("This link is not valid");
    }
    const fields = hiddenFields((await openLink(link)).page);
    const forged = await postDecision(link, {
      ...fields,
      token: flipped.toString("base64url"),
      decision: "approve",
    });
    expect(forged.status).toBe(400);
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });

  it("says a link from an older e-mail, with its token in the query, no longer works", async () => {
    const { pause } = await h.openPause(["carol@example.com"]);
    const { status, page } = await openLink(`${h.t.url}/email/decide?token=eyJ2IjoxfQ.c2ln`);
    expect(status).toBe(410);
    expect(page).toContain("This link is from an older e-mail");
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });

  it("says a link cut before its fragment is incomplete, deciding nothing", async () => {
    await h.openPause(["carol@example.com"]);
    const landing = await fetch(`${h.t.url}/email/decide`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain("This link is incomplete");
  });
});

describe("when the store is down", () => {
  beforeEach(async () => {
    h = await startEmailHarness();
  });

  it("shows a page that says nothing was decided, never a decision", async () => {
    const { mails } = await h.openPause(["carol@example.com"]);
    const link = linksIn(mails[0] as ReceivedMail).approve;
    const fields = hiddenFields((await openLink(link)).page);
    await h.t.store.close();
    const posted = await postDecision(link, { ...fields, decision: "approve" });
    expect(posted.status).toBe(503);
    expect(posted.page).toContain("Nothing was decided");
    const opened = await openLink(link);
    expect(opened.status).toBe(503);
  });
});

describe("with a quorum", () => {
  const twoPeople: PolicyHook = {
    evaluate: () => ({
      outcome: "require",
      rule: "two-people",
      version: "test",
      routing: { approvers: null, approvals_required: 2 },
    }),
  };

  beforeEach(async () => {
    h = await startEmailHarness({ policy: twoPeople });
  });

  it("counts each e-mail once: a spent link is refused while the pause is still open", async () => {
    const { pause, mails } = await h.openPause(["carol@example.com", "dave@example.com"]);
    const carolLink = linksIn(mails[0] as ReceivedMail).approve;
    const carolFields = hiddenFields((await openLink(carolLink)).page);
    const first = await postDecision(carolLink, { ...carolFields, decision: "approve" });
    expect(first.status).toBe(200);
    expect(first.page).toContain("Your approval is counted");
    expect(first.page).toContain("1 of 2 so far");

    const reused = await postDecision(carolLink, { ...carolFields, decision: "approve" });
    expect(reused.status).toBe(410);
    expect(reused.page).toContain("This link has already been used");
    const otherLink = linksIn(mails[0] as ReceivedMail).reject;
    const reusedOther = await postDecision(otherLink, { ...carolFields, decision: "reject", reason: "no" });
    expect(reusedOther.status).toBe(410);
    expect(await statusOf(pause.pause_id)).toBe("pending");

    const daveLink = linksIn(mails[1] as ReceivedMail).approve;
    const second = await postDecision(daveLink, {
      ...hiddenFields((await openLink(daveLink)).page),
      decision: "approve",
    });
    expect(second.status).toBe(200);
    expect(second.page).toContain("You approved");
    const decided = await h.t.server.service.getPause(pause.pause_id);
    expect(decided?.status).toBe("approved");
    expect(decided?.routing?.approvals.map((approval) => [approval.id, approval.channel])).toEqual([
      ["carol@example.com", "email"],
      ["dave@example.com", "email"],
    ]);
  });
});

describe("an agent cannot approve itself by e-mail", () => {
  const twoPeople: PolicyHook = {
    evaluate: () => ({
      outcome: "require",
      rule: "two-people",
      version: "test",
      routing: { approvers: null, approvals_required: 2 },
    }),
  };

  it("mails no decision link to addresses that belong to no approver, even two for a quorum", async () => {
    h = await startEmailHarness({ policy: twoPeople });
    const pause = await h.agent.createPause({
      agent_id: "billing-agent",
      action: { type: "payment", title: "Pay Mallory $9,999" },
      recipients: [
        { channel: "email", target: "mallory@attacker.example" },
        { channel: "email", target: "mallory2@attacker.example" },
      ],
    });
    expect(pause.recipients).toEqual([]);
    expect(pause.warnings?.map((warning) => warning.path)).toEqual(["recipients.0", "recipients.1"]);
    await h.t.server.idle();
    expect(h.smtp.received).toEqual([]);
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });

  it("sends nothing to an admin-routed address that is not an approver", async () => {
    const routesToOutsider: PolicyHook = {
      evaluate: () => ({
        outcome: "require",
        rule: "outsider",
        version: "test",
        recipients: [{ channel: "email", target: "outsider@example.com" }],
        routing: { approvers: null, approvals_required: 1 },
      }),
    };
    h = await startEmailHarness({ policy: routesToOutsider });
    const pause = await h.agent.createPause({ agent_id: "billing-agent", action: { type: "payment" } });
    await h.t.server.idle();
    expect(h.smtp.received).toEqual([]);
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });

  it("checks again when the link is used: an approver removed after the mail went out decides nothing", async () => {
    h = await startEmailHarness();
    const { pause, mails } = await h.openPause(["carol@example.com"]);
    await h.t.store.deleteIdentity("carol@example.com");
    const link = linksIn(mails[0] as ReceivedMail).approve;
    const attempt = await postDecision(link, {
      ...hiddenFields((await openLink(link)).page),
      decision: "approve",
    });
    expect(attempt.status).toBe(403);
    expect(attempt.page).toContain("not an active approver");
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });
});

describe("when the mail server refuses the login", () => {
  beforeEach(async () => {
    h = await startEmailHarness({ smtpUrl: (url) => url.replace(/:[^:@]*@/, ":wrong-password@") });
  });

  it("still opens the pause for the agent, sends nothing and records no notification", async () => {
    const pause = await h.agent.createPause({
      agent_id: "billing-agent",
      action: { type: "payment", title: "Pay Acme Corp $12,450" },
      recipients: [{ channel: "email", target: "carol@example.com" }],
    });
    expect(pause.status).toBe("pending");
    await h.t.server.idle();
    expect(h.smtp.received).toEqual([]);
    expect(await h.t.store.listAudit({ pauseId: pause.pause_id, type: "pause.notified", limit: 10 })).toEqual(
      [],
    );
    expect(await statusOf(pause.pause_id)).toBe("pending");
  });
});
