import type { AuditEvent } from "@countersign/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENT } from "../test-support/inbox-harness.ts";
import { type ApiSession, type InboxServer, startInboxServer } from "../test-support/inbox-http.ts";

let server: InboxServer;
let admin: ApiSession;
let pauseId: string;

beforeAll(async () => {
  server = await startInboxServer();
  admin = await server.signIn(server.t.adminKey);
  const response = await fetch(`${server.t.url}/v1/pauses`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.t.agentKey}`, "content-type": "application/json" },
    body: JSON.stringify({ agent_id: "billing-agent", action: PAYMENT }),
  });
  pauseId = (await response.json()).pause_id;
  await server.t.reject(pauseId, "Wrong payee");
});
afterAll(() => server.close());

describe("the admin audit view", () => {
  it("is for admins only", async () => {
    const approver = await server.signIn(server.t.approverKey);
    const response = await server.request("/inbox/api/audit", { session: approver });
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toMatch(/Only admins/);
  });

  it("filters events by pause and type", async () => {
    const response = await server.request(`/inbox/api/audit?pause_id=${pauseId}&type=pause.decided`, {
      session: admin,
    });
    const page = await response.json();
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      type: "pause.decided",
      pause_id: pauseId,
      actor: { id: "alice@example.com" },
      data: { decision: "rejected", reason: "Wrong payee" },
    });
  });

  it("pages with a cursor", async () => {
    const first = await (await server.request("/inbox/api/audit?limit=1", { session: admin })).json();
    expect(first.has_more).toBe(true);
    const second = await (
      await server.request(`/inbox/api/audit?limit=1&cursor=${first.next_cursor}`, { session: admin })
    ).json();
    expect(second.data[0].seq).toBe(first.data[0].seq + 1);
  });

  it("exports the filtered log as JSON Lines that keep the hash chain", async () => {
    const response = await server.request(`/inbox/api/audit/export?pause_id=${pauseId}`, { session: admin });
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="countersign-audit-/);
    const events = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditEvent);
    expect(events.map((event) => event.type)).toEqual(["pause.opened", "pause.decided"]);
    expect(events.every((event) => event.hash.startsWith("sha256:"))).toBe(true);
  });

  it("refuses a bad filter with the field named", async () => {
    const response = await server.request("/inbox/api/audit?type=pause.exploded", { session: admin });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].path).toBe("type");
  });
});
