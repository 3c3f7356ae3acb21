import { createClient } from "@countersign/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENT } from "../test-support/inbox-harness.ts";
import { type ApiSession, type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

let server: InboxServer;
let admin: ApiSession;

beforeAll(async () => {
  server = await startInboxServer();
  admin = await server.signIn(server.t.adminKey);
});
afterAll(() => server.close());

/** An approved payment, claimed by the agent; reported when `receipt` is true. */
async function claimedPayment(receipt: boolean): Promise<string> {
  const agent = createClient({ baseUrl: server.t.url, apiKey: server.t.agentKey });
  const pause = await agent.createPause({ agent_id: "billing-agent", action: PAYMENT });
  const approved = await server.t.approve(pause.pause_id);
  await agent.claim(pause.pause_id, { proofId: approved.proof!.proof_id });
  if (receipt) await agent.recordReceipt(pause.pause_id, { outcome: "succeeded" });
  return pause.pause_id;
}

const list = async (query: string, session = admin) =>
  server.request(`/inbox/api/unreported-claims?${query}`, { session });

describe("claims without a receipt, in the admin's audit view", () => {
  it("lists an approved action that was claimed and never reported, and not one that was", async () => {
    const unreported = await claimedPayment(false);
    const reported = await claimedPayment(true);
    const response = await list("older_than=0s");
    expect(response.status).toBe(200);
    const ids = (await response.json()).data.map((claim: { pause_id: string }) => claim.pause_id);
    expect(ids).toContain(unreported);
    expect(ids).not.toContain(reported);
  });

  it("waits 15 minutes by default before calling a claim unreported", async () => {
    const fresh = await claimedPayment(false);
    const ids = (await (await list("")).json()).data.map((claim: { pause_id: string }) => claim.pause_id);
    expect(ids).not.toContain(fresh);
  });

  it("is for admins only, and names a bad older_than", async () => {
    const approver = await server.signIn(server.t.approverKey);
    expect((await list("older_than=0s", approver)).status).toBe(403);
    const bad = await list("older_than=soon");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("older_than");
  });
});
