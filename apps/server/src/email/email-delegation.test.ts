import type { PolicyHook } from "@countersign/core/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type EmailHarness,
  hiddenFields,
  linksIn,
  openLink,
  postDecision,
  startEmailHarness,
} from "./test-support/email-harness.ts";
import type { ReceivedMail } from "./test-support/smtp-inbox.ts";

/** Payments go to Carol alone. */
const carolOnly: PolicyHook = {
  evaluate: () => ({
    outcome: "require",
    rule: "carol-only",
    version: "test",
    routing: { approvers: ["carol@example.com"] },
  }),
};

let h: EmailHarness;
beforeEach(async () => {
  h = await startEmailHarness({ policy: carolOnly });
});
afterEach(async () => {
  await h?.close();
});

async function delegateCarolToDave(): Promise<string> {
  const response = await fetch(`${h.t.url}/v1/delegations`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.t.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      from: "carol@example.com",
      to: "dave@example.com",
      ends_at: new Date(Date.now() + 86_400_000).toISOString(),
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { delegation_id: string }).delegation_id;
}

describe("e-mail reaches a delegate", () => {
  it("mails the delegate too, and their link decides on the delegator's behalf", async () => {
    await delegateCarolToDave();
    const pause = await h.agent.createPause({
      agent_id: "billing-agent",
      action: { type: "payment", title: "Pay Acme Corp $12,450", data: { amount: 12450 } },
      recipients: [{ channel: "email", target: "carol@example.com" }],
    });
    const mails = [await h.smtp.nextMail(), await h.smtp.nextMail()];
    const byRecipient = new Map(mails.map((mail) => [mail.envelopeTo[0], mail]));
    expect([...byRecipient.keys()].sort()).toEqual(["carol@example.com", "dave@example.com"]);
    const link = linksIn(byRecipient.get("dave@example.com") as ReceivedMail).approve;
    const fields = hiddenFields((await openLink(link)).page);
    const decided = await postDecision(link, { ...fields, decision: "approve" });
    expect(decided.status).toBe(200);
    expect(decided.page).toContain("You approved");
    const pauseNow = await h.t.server.service.getPause(pause.pause_id);
    expect(pauseNow?.decision?.decided_by).toEqual({
      kind: "human",
      id: "dave@example.com",
      channel: "email",
      on_behalf_of: "carol@example.com",
    });
  });

  it("refuses the delegate's link once the delegation is revoked", async () => {
    const delegationId = await delegateCarolToDave();
    const pause = await h.agent.createPause({
      agent_id: "billing-agent",
      action: { type: "payment", title: "Pay Acme Corp $12,450", data: { amount: 12450 } },
      recipients: [{ channel: "email", target: "carol@example.com" }],
    });
    const mails = [await h.smtp.nextMail(), await h.smtp.nextMail()];
    const daveMail = mails.find((mail) => mail.envelopeTo[0] === "dave@example.com") as ReceivedMail;
    const link = linksIn(daveMail).approve;
    const fields = hiddenFields((await openLink(link)).page);
    const revoked = await fetch(`${h.t.url}/v1/delegations/${delegationId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${h.t.adminKey}` },
    });
    expect(revoked.status).toBe(200);
    const refused = await postDecision(link, { ...fields, decision: "approve" });
    expect(refused.status).toBe(403);
    expect((await h.t.server.service.getPause(pause.pause_id))?.status).toBe("pending");
  });
});
