import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compilePolicy } from "../../policy/compile-policy.ts";
import { policyHook } from "../../policy/policy-hook.ts";
import { verifyProof } from "../../proof/verify-proof.ts";
import type { Delegation } from "../../protocol/delegation.ts";
import type { Pause } from "../../protocol/pause.ts";
import { startTestServer, type TestServer } from "../../testing/test-server.ts";
import {
  approverKey,
  auditOf,
  decide,
  fakeClock,
  openPause,
  putIdentity,
} from "../governance-test-helpers.ts";
import { call } from "../server-test-helpers.ts";

/** Payments go to Alice alone (by e-mail); prod deploys need two of Alice and Carol. */
function awayPolicy() {
  const compiled = compilePolicy({
    rules: [
      {
        name: "payments",
        action_type: "payment",
        outcome: "require",
        approvers: ["alice@example.com"],
        recipients: [{ channel: "email", target: "alice@example.com" }],
      },
      {
        name: "owner-refunds",
        action_type: "refund",
        outcome: "require",
        approvers: ["agent-owner@example.com", "alice@example.com"],
      },
      {
        name: "prod-deploys",
        action_type: "deploy",
        outcome: "require",
        approvers: ["alice@example.com", "carol@example.com"],
        approvals_required: 2,
      },
    ],
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return policyHook(compiled.policy);
}

const payment = (amount = 1200) => ({
  agent_id: "billing-agent",
  action: { type: "payment", title: `Pay $${amount}`, data: { payee: "Acme", amount } },
  expires_in: 86_400,
});
const deploy = { agent_id: "deploy-bot", action: { type: "deploy", data: { service: "api", env: "prod" } } };

let t: TestServer;
let clock: ReturnType<typeof fakeClock>;
let carolKey: string;
let daveKey: string;
let ownerApproverKey: string;
beforeEach(async () => {
  clock = fakeClock();
  t = await startTestServer({ policy: awayPolicy(), now: clock.now });
  for (const person of ["alice", "bob", "carol", "dave"]) await putIdentity(t, `${person}@example.com`, []);
  carolKey = await approverKey(t, "carol@example.com");
  daveKey = await approverKey(t, "dave@example.com");
  // The agent's owner is an approver too: the case where delegation could lead to self-approval.
  ownerApproverKey = await approverKey(t, "agent-owner@example.com");
});
afterEach(async () => {
  await t.close();
});

const inOneWeek = () => new Date(clock.now().getTime() + 7 * 86_400_000).toISOString();

async function delegate(key: string, body: Record<string, unknown>): Promise<Delegation> {
  const response = await call(t, "POST", "/v1/delegations", { key, body: { ends_at: inOneWeek(), ...body } });
  if (response.status !== 201)
    throw new Error(`delegate: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as unknown as Delegation;
}

async function revoke(key: string, delegationId: string) {
  return call(t, "DELETE", `/v1/delegations/${delegationId}`, { key });
}

describe("delegation", () => {
  it("lets the delegate decide while the delegator is away; the proof and the audit name both", async () => {
    const before = await openPause(t, payment());
    expect((await decide(t, before.pause_id, t.secondApproverKey)).status).toBe(403);

    const created = await delegate(t.approverKey, { to: "bob@example.com", reason: "On leave" });
    expect(created).toMatchObject({
      status: "active",
      from: "alice@example.com",
      to: "bob@example.com",
      created_by: "alice@example.com",
      action_types: null,
    });
    const pause = await openPause(t, payment());
    // Routing reaches the delegate on the delegator's channel, and in the inbox.
    expect(pause.recipients).toEqual(
      expect.arrayContaining([
        { channel: "email", target: "alice@example.com" },
        { channel: "email", target: "bob@example.com" },
      ]),
    );
    const response = await decide(t, pause.pause_id, t.secondApproverKey);
    expect(response.status).toBe(200);
    const decided = response.body as unknown as Pause;
    expect(decided.decision?.decided_by).toEqual({
      kind: "human",
      id: "bob@example.com",
      channel: "api",
      on_behalf_of: "alice@example.com",
    });
    const verified = await verifyProof(decided.proof, {
      keys: t.jwks,
      pauseId: pause.pause_id,
      action: pause.action,
      now: clock.now(),
    });
    expect(verified.approved).toBe(true);
    expect(decided.proof?.decided_by).toMatchObject({
      id: "bob@example.com",
      on_behalf_of: "alice@example.com",
    });

    const audit = await auditOf(t, pause.pause_id);
    expect(audit.find((event) => event.type === "pause.opened")?.data.delegates).toEqual([
      { delegation_id: created.delegation_id, from: "alice@example.com", to: "bob@example.com" },
    ]);
    expect(audit.find((event) => event.type === "pause.decided")).toMatchObject({
      actor: { kind: "human", id: "bob@example.com" },
      data: { on_behalf_of: "alice@example.com", delegation_id: created.delegation_id },
    });
    // The pause opened before the delegation: the delegate may decide it now too.
    expect((await decide(t, before.pause_id, t.secondApproverKey)).status).toBe(200);
  });

  it("lists delegations to the people involved, and all of them to an admin", async () => {
    const mine = await delegate(t.approverKey, { to: "bob@example.com" });
    await delegate(carolKey, { to: "dave@example.com" });
    const ids = async (key: string) =>
      ((await call(t, "GET", "/v1/delegations", { key })).body.data as Delegation[]).map(
        (entry) => entry.delegation_id,
      );
    expect(await ids(t.secondApproverKey)).toEqual([mine.delegation_id]);
    expect(await ids(t.adminKey)).toHaveLength(2);
    expect(await ids(ownerApproverKey)).toEqual([]);
  });

  it("ends on time: scheduled ones wait for their start, and a decision after ends_at is refused", async () => {
    const startsAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const endsAt = new Date(clock.now().getTime() + 7_200_000).toISOString();
    const created = await delegate(t.approverKey, {
      to: "bob@example.com",
      starts_at: startsAt,
      ends_at: endsAt,
    });
    expect(created.status).toBe("scheduled");
    const pause = await openPause(t, payment());
    expect((await decide(t, pause.pause_id, t.secondApproverKey)).status).toBe(403);
    clock.advance(7_200 - 1);
    const inTime = await openPause(t, payment());
    expect((await decide(t, inTime.pause_id, t.secondApproverKey)).status).toBe(200);
    clock.advance(1);
    const late = await decide(t, pause.pause_id, t.secondApproverKey);
    expect(late.status).toBe(403);
    expect(late.body.detail).toMatch(/routes it to alice@example.com/);
    const listed = (await call(t, "GET", "/v1/delegations?status=ended", { key: t.approverKey })).body;
    expect((listed.data as Delegation[]).map((entry) => entry.delegation_id)).toEqual([
      created.delegation_id,
    ]);
  });

  it("stops at once when revoked, by the delegator, the delegate or an admin — nobody else", async () => {
    const pause = await openPause(t, payment());
    const first = await delegate(t.approverKey, { to: "bob@example.com" });
    expect((await revoke(daveKey, first.delegation_id)).status).toBe(403);
    const revoked = await revoke(t.approverKey, first.delegation_id);
    expect(revoked.body).toMatchObject({ status: "revoked", revoked_by: "alice@example.com" });
    expect((await decide(t, pause.pause_id, t.secondApproverKey)).status).toBe(403);

    const second = await delegate(t.approverKey, { to: "bob@example.com" });
    expect((await revoke(t.secondApproverKey, second.delegation_id)).status).toBe(200);
    const third = await delegate(t.approverKey, { to: "bob@example.com" });
    expect((await revoke(t.adminKey, third.delegation_id)).status).toBe(200);
    expect((await decide(t, pause.pause_id, t.secondApproverKey)).status).toBe(403);
    const events = (await call(t, "GET", "/v1/audit?type=delegation.revoked", { key: t.adminKey })).body
      .data as { actor: { kind: string; id: string } }[];
    expect(events.map((event) => event.actor)).toEqual([
      { kind: "human", id: "alice@example.com" },
      { kind: "human", id: "bob@example.com" },
      { kind: "admin", id: "admin@example.com" },
    ]);
  });

  it("never lets the requester decide their own request through a delegation, either way round", async () => {
    // Alice hands her approvals to the agent's owner: the owner still cannot approve their agent's payment.
    await delegate(t.approverKey, { to: "agent-owner@example.com" });
    const pause = await openPause(t, payment());
    expect(pause.recipients).not.toContainEqual({ channel: "email", target: "agent-owner@example.com" });
    const own = await decide(t, pause.pause_id, ownerApproverKey);
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/requested themselves/);
    // The owner hands their approvals to Bob: Bob cannot stand in for the owner on the owner's own request.
    await delegate(ownerApproverKey, { to: "bob@example.com" });
    const refund = await openPause(t, {
      agent_id: "support-agent",
      action: { type: "refund", data: { amount: 80 } },
    });
    expect((await decide(t, refund.pause_id, t.secondApproverKey)).status).toBe(403);
    expect((await decide(t, refund.pause_id, t.approverKey)).status).toBe(200);
  });

  it("never runs both ways, also when both are asked at once", async () => {
    const there = await delegate(t.approverKey, { to: "bob@example.com" });
    const back = await call(t, "POST", "/v1/delegations", {
      key: t.secondApproverKey,
      body: { to: "alice@example.com", ends_at: inOneWeek() },
    });
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({ code: "delegation_loop" });
    expect(back.body.detail).toContain(there.delegation_id);
    // After Alice's period ends, Bob may hand his approvals to her.
    const after = new Date(Date.parse(there.ends_at)).toISOString();
    const later = await call(t, "POST", "/v1/delegations", {
      key: t.secondApproverKey,
      body: {
        to: "alice@example.com",
        starts_at: after,
        ends_at: new Date(Date.parse(after) + 86_400_000).toISOString(),
      },
    });
    expect(later.status).toBe(201);

    // Carol and Dave delegate to each other at the same moment, ten times over: one of each pair wins.
    for (let round = 0; round < 10; round++) {
      const [one, two] = await Promise.all([
        call(t, "POST", "/v1/delegations", {
          key: carolKey,
          body: { to: "dave@example.com", ends_at: inOneWeek() },
        }),
        call(t, "POST", "/v1/delegations", {
          key: daveKey,
          body: { to: "carol@example.com", ends_at: inOneWeek() },
        }),
      ]);
      expect([one.status, two.status].sort()).toEqual([201, 409]);
      const winner = (one.status === 201 ? one : two).body as unknown as Delegation;
      expect((await revoke(t.adminKey, winner.delegation_id)).status).toBe(200);
    }
  });

  it("follows one hop only: a delegate's own delegation does not pass on what was delegated to them", async () => {
    await delegate(t.approverKey, { to: "bob@example.com" });
    await delegate(t.secondApproverKey, { to: "carol@example.com" });
    const pause = await openPause(t, payment());
    expect(pause.recipients).not.toContainEqual({ channel: "email", target: "carol@example.com" });
    const response = await decide(t, pause.pause_id, carolKey);
    expect(response.status).toBe(403);
    expect((await decide(t, pause.pause_id, t.secondApproverKey)).status).toBe(200);
  });

  it("lets no standing grant of the delegate approve the delegator's pauses", async () => {
    await delegate(t.approverKey, { to: "bob@example.com" });
    const granted = await call(t, "POST", "/v1/grants", {
      key: t.secondApproverKey,
      body: { agent_ids: ["*"], action_type: "payment", expires_in: 3600 },
    });
    expect(granted.status).toBe(201);
    const pause = await openPause(t, payment());
    expect(pause.status).toBe("pending");
    // Bob decides it by hand, in Alice's name.
    expect((await decide(t, pause.pause_id, t.secondApproverKey)).status).toBe(200);
  });

  it("covers only the action types it names", async () => {
    await delegate(t.approverKey, { to: "bob@example.com", action_types: ["refund*"] });
    const pause = await openPause(t, payment());
    expect((await decide(t, pause.pause_id, t.secondApproverKey)).status).toBe(403);
  });

  it("counts a delegate once in a quorum, and a delegator and their delegate as one seat", async () => {
    // Alice and Carol both hand their approvals to Bob; the deploy needs two of them.
    await delegate(t.approverKey, { to: "bob@example.com" });
    clock.advance(1);
    await delegate(carolKey, { to: "bob@example.com" });
    const pause = await openPause(t, deploy);
    const first = await decide(t, pause.pause_id, t.secondApproverKey);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: "pending",
      routing: { approvals: [{ id: "bob@example.com", on_behalf_of: "alice@example.com" }] },
    });
    const again = await decide(t, pause.pause_id, t.secondApproverKey);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "already_approved" });
    // Alice is back: her seat is taken by her delegate.
    const alice = await decide(t, pause.pause_id, t.approverKey);
    expect(alice.status).toBe(409);
    expect(alice.body.detail).toMatch(/on behalf of alice@example.com/);
    // Carol decides herself: two people, two seats.
    const carol = await decide(t, pause.pause_id, carolKey);
    expect(carol.status).toBe(200);
    const approved = carol.body as unknown as Pause;
    expect(approved.status).toBe("approved");
    expect(approved.proof).toMatchObject({
      approvals: [
        { id: "bob@example.com", on_behalf_of: "alice@example.com" },
        { id: "carol@example.com", channel: "api" },
      ],
    });
  });

  it("gives a delegator and their delegate one seat when both approve at once", async () => {
    await delegate(t.approverKey, { to: "bob@example.com" });
    for (let round = 0; round < 10; round++) {
      const pause = await openPause(t, deploy);
      const answers = await Promise.all([
        decide(t, pause.pause_id, t.approverKey),
        decide(t, pause.pause_id, t.secondApproverKey),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const current = (await call(t, "GET", `/v1/pauses/${pause.pause_id}`, { key: t.adminKey }))
        .body as unknown as Pause;
      expect(current.status).toBe("pending");
      expect(current.routing?.approvals).toHaveLength(1);
    }
  });

  it("commits no decision after the revocation that raced it", async () => {
    const seqOf = async (type: string, pauseOrDelegation: string) => {
      const events = (await call(t, "GET", `/v1/audit?type=${type}&limit=1000`, { key: t.adminKey })).body
        .data as { seq: number; pause_id: string | null; data: Record<string, unknown> }[];
      return events.find(
        (event) => event.pause_id === pauseOrDelegation || event.data.delegation_id === pauseOrDelegation,
      )?.seq;
    };
    for (let round = 0; round < 10; round++) {
      const pause = await openPause(t, payment());
      const created = await delegate(t.approverKey, { to: "bob@example.com" });
      const [decision, revocation] = await Promise.all([
        decide(t, pause.pause_id, t.secondApproverKey),
        revoke(t.approverKey, created.delegation_id),
      ]);
      expect(revocation.status).toBe(200);
      const revokedAt = await seqOf("delegation.revoked", created.delegation_id);
      if (decision.status === 200) {
        // The decision won: it committed before the revocation did.
        expect(await seqOf("pause.decided", pause.pause_id)).toBeLessThan(revokedAt!);
      } else {
        expect(decision.status).toBe(403);
        const current = (await call(t, "GET", `/v1/pauses/${pause.pause_id}`, { key: t.adminKey })).body;
        expect(current.status).toBe("pending");
      }
      // Once the revocation has answered, the delegate is refused.
      const fresh = await openPause(t, payment());
      expect((await decide(t, fresh.pause_id, t.secondApproverKey)).status).toBe(403);
    }
  });
});

describe("creating a delegation", () => {
  const post = (key: string, body: Record<string, unknown>) =>
    call(t, "POST", "/v1/delegations", { key, body });

  it("refuses bad requests with a 4xx naming the field", async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ to: "nobody@example.com", ends_at: inOneWeek() }, 400, "to"],
      [{ to: "alice@example.com", ends_at: inOneWeek() }, 400, "to"],
      [{ to: "bob@example.com", ends_at: "2026-11-20T10:00:00.000Z" }, 400, "ends_at"],
      [{ to: "bob@example.com", ends_at: "2027-06-01T10:00:00.000Z" }, 400, "ends_at"],
      [{ to: "bob@example.com" }, 400, "ends_at"],
      [{ to: "bob@example.com", ends_at: inOneWeek(), until: "never" }, 400, "until"],
      [{ to: "bob@example.com", ends_at: inOneWeek(), action_types: [] }, 400, "action_types"],
      [{ from: "carol@example.com", to: "bob@example.com", ends_at: inOneWeek() }, 403, "from"],
    ];
    for (const [body, status, field] of cases) {
      const response = await post(t.approverKey, body);
      expect({ body, status: response.status }).toEqual({ body, status });
      expect(JSON.stringify(response.body)).toContain(field);
    }
  });

  it("lets an admin set one up for someone else, and refuses agent and executor keys", async () => {
    const response = await post(t.adminKey, {
      from: "carol@example.com",
      to: "dave@example.com",
      ends_at: inOneWeek(),
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ from: "carol@example.com", created_by: "admin@example.com" });
    expect((await post(t.agentKey, { to: "bob@example.com", ends_at: inOneWeek() })).status).toBe(403);
    expect((await post(t.executorKey, { to: "bob@example.com", ends_at: inOneWeek() })).status).toBe(403);
  });
});
