import { type Pause as CorePause, signWebhook, verifyProof } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import {
  type ICredentialDataDecryptedObject,
  type INode,
  NodeApiError,
  WAIT_INDEFINITELY,
} from "n8n-workflow";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DecisionJson } from "../../shared/decision-item.ts";
import { waitingPauseKey } from "../../shared/waiting-pause.ts";
import type { WebhookRequest } from "../../testing/execution-contexts.ts";
import {
  type SimulatedExecution,
  type SimulatedN8n,
  startSimulatedN8n,
} from "../../testing/simulated-n8n.ts";
import { CountersignApproval } from "./CountersignApproval.node.ts";

const nodeType = new CountersignApproval();
const order = { order_id: "1042", amount: 129.9, currency: "EUR", customer: "ada@example.com" };

let countersign: TestServer;
let n8n: SimulatedN8n;

beforeAll(async () => {
  // The node passes recipients through; the server keeps only targets an admin allowed.
  countersign = await startTestServer({
    serverOptions: { allowedRecipientTargets: { slack: ["#refunds"] } },
  });
  n8n = await startSimulatedN8n(nodeType);
});
afterAll(async () => {
  await n8n?.close();
  await countersign?.close();
});
afterEach(() => {
  n8n.hold = null;
  n8n.held.length = 0;
});

function approvalNode(parameters: Record<string, unknown> = {}): INode {
  return {
    id: "3f0a6c1e-7a55-4d0e-9f3e-2c8b1d0e4a11",
    name: "Approve refund",
    type: "n8n-nodes-countersign.countersignApproval",
    typeVersion: 1,
    position: [0, 0],
    parameters: {
      agentId: "n8n-refunds",
      actionType: "refund",
      title: "Refund order #1042",
      body: "Customer reports a **damaged** parcel.",
      dataSource: "incomingItem",
      risk: "medium",
      recipients: { recipient: [{ channel: "slack", target: "#refunds" }] },
      expiresAmount: 1,
      expiresUnit: "hours",
      ...parameters,
    },
  };
}

function credentials(overrides: Record<string, string> = {}): ICredentialDataDecryptedObject {
  return {
    serverUrl: countersign.url,
    apiKey: countersign.agentKey,
    webhookSecret: countersign.webhookSecret,
    proofSecret: countersign.proofSecret,
    publicKeys: JSON.stringify(countersign.jwks),
    ...overrides,
  };
}

async function waitingRun(parameters: Record<string, unknown> = {}, overrides: Record<string, string> = {}) {
  const execution = await n8n.run({
    node: approvalNode(parameters),
    credentials: credentials(overrides),
    items: [{ json: order }],
  });
  expect(execution.error).toBeNull();
  expect(execution.status).toBe("waiting");
  const pauseId = JSON.parse(execution.stored).resultData.metadata[waitingPauseKey(approvalNode())] as string;
  return { execution, pauseId };
}

/** The item on each branch: [approved, rejected]. */
function branches(execution: SimulatedExecution): [DecisionJson[], DecisionJson[]] {
  const [approved = [], rejected = []] = execution.outputs ?? [];
  return [
    approved.map((item) => item.json as DecisionJson),
    rejected.map((item) => item.json as DecisionJson),
  ];
}

/** Marks the test's own requests, so holding Countersign's deliveries never holds them. */
const REPLAY_HEADER = "x-test-replay";
const fromCountersign = (request: WebhookRequest) => request.headers[REPLAY_HEADER] === undefined;

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", [REPLAY_HEADER]: "1", ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function signed(
  body: string,
  secret = countersign.webhookSecret,
  timestamp = Math.floor(Date.now() / 1000),
) {
  return signWebhook({ id: `msg_test_${timestamp}_${body.length}`, timestamp, body, secret });
}

/** Holds the next genuine delivery for `pauseId` away from the node, and returns it. */
async function captureDelivery(pauseId: string, decide: () => Promise<unknown>): Promise<WebhookRequest> {
  // Hold every delivery from Countersign (its retries too) while the test replays by hand.
  n8n.hold = fromCountersign;
  await decide();
  const deadline = Date.now() + 10_000;
  while (
    !n8n.held.some(
      (request) =>
        request.body.data && (request.body.data as { pause: CorePause }).pause.pause_id === pauseId,
    )
  ) {
    if (Date.now() > deadline) throw new Error("no delivery arrived");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return n8n.held.find((request) => (request.body.data as { pause: CorePause }).pause.pause_id === pauseId)!;
}

describe("Countersign Approval against a real Countersign server", () => {
  it("opens one pause for the first item, pointed at this execution's resume URL, and waits with no n8n deadline", async () => {
    const { execution, pauseId } = await waitingRun();
    expect(execution.waitTill).toBe(WAIT_INDEFINITELY.toISOString());
    const pause = (await countersign.server.service.getPause(pauseId))!;
    expect(pause.status).toBe("pending");
    expect(pause.webhook_url).toBe(execution.resumeUrl);
    expect(pause.agent_id).toBe("n8n-refunds");
    expect(pause.action).toEqual({
      type: "refund",
      title: "Refund order #1042",
      body: "Customer reports a **damaged** parcel.",
      data: order,
      risk: "medium",
    });
    expect(pause.recipients).toEqual([{ channel: "slack", target: "#refunds" }]);
    expect(pause.context).toMatchObject({ framework: "n8n", n8n_execution_id: execution.executionId });
  });

  it("continues on Approved with the approver, the reason, the data and a proof that verifies", async () => {
    const { execution, pauseId } = await waitingRun();
    await countersign.approve(pauseId, { reason: "Photos confirm the damage" });
    const [approved, rejected] = branches(await n8n.finished(execution.executionId));
    expect(rejected).toEqual([]);
    expect(approved).toHaveLength(1);
    const decision = approved[0]!;
    expect(decision).toMatchObject({
      decision: "approved",
      approved: true,
      pause_id: pauseId,
      approver: { kind: "human", id: "alice@example.com" },
      reason: "Photos confirm the damage",
      data: order,
      edited: false,
    });
    const pause = (await countersign.server.service.getPause(pauseId))!;
    const verified = await verifyProof(decision.proof, {
      keys: countersign.jwks,
      pauseId,
      action: pause.action,
    });
    expect(verified.approved).toBe(true);
  });

  it("claims the approval before continuing, and stays paused when it was already claimed", async () => {
    const first = await waitingRun();
    await countersign.approve(first.pauseId);
    await n8n.finished(first.execution.executionId);
    expect((await countersign.server.service.getPause(first.pauseId))?.claimed_at).not.toBeNull();

    const second = await waitingRun();
    const genuine = await captureDelivery(second.pauseId, () => countersign.approve(second.pauseId));
    const claimed = await fetch(`${countersign.url}/v1/pauses/${second.pauseId}/claim`, {
      method: "POST",
      headers: { authorization: `Bearer ${countersign.agentKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(claimed.status).toBe(200);
    const headers = Object.fromEntries(
      ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [
        name,
        String(genuine.headers[name]),
      ]),
    );
    const refused = await post(second.execution.resumeUrl, genuine.rawBody.toString("utf8"), headers);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("already_claimed");
    expect(n8n.execution(second.execution.executionId).status).toBe("waiting");
  });

  it("carries the approver's edited arguments on Approved", async () => {
    const { execution, pauseId } = await waitingRun();
    const edited = { ...order, amount: 60 };
    await countersign.approve(pauseId, { data: edited });
    const [approved] = branches(await n8n.finished(execution.executionId));
    expect(approved[0]).toMatchObject({ decision: "approved", data: edited, edited: true });
  });

  it("verifies with the public keys alone, when the credential holds no proof secret", async () => {
    const { execution, pauseId } = await waitingRun({}, { proofSecret: "" });
    await countersign.approve(pauseId);
    const [approved] = branches(await n8n.finished(execution.executionId));
    expect(approved[0]?.decision).toBe("approved");
  });

  it("continues on Rejected with the reviewer's reason", async () => {
    const { execution, pauseId } = await waitingRun();
    await countersign.reject(pauseId, "Outside the return window");
    const [approved, rejected] = branches(await n8n.finished(execution.executionId));
    expect(approved).toEqual([]);
    expect(rejected[0]).toMatchObject({
      decision: "rejected",
      approved: false,
      reason: "Outside the return window",
      approver: { id: "alice@example.com" },
    });
  });

  it("goes to Rejected when the pause expires with no decision", async () => {
    const { execution } = await waitingRun({ expiresAmount: 1, expiresUnit: "seconds" });
    const [approved, rejected] = branches(await n8n.finished(execution.executionId, 15_000));
    expect(approved).toEqual([]);
    expect(rejected[0]).toMatchObject({
      decision: "expired",
      approved: false,
      approver: { kind: "timeout" },
    });
  });

  it("stays paused on a forged webhook (wrong secret, no signature) and still takes the real decision", async () => {
    const { execution, pauseId } = await waitingRun();
    const pause = (await countersign.server.service.getPause(pauseId))!;
    const forged = JSON.stringify({
      type: "pause.decided",
      timestamp: new Date().toISOString(),
      data: { pause: { ...pause, status: "approved" }, proof: null },
    });
    const wrongSecret = await post(
      execution.resumeUrl,
      forged,
      await signed(forged, "whsec_Zm9yZ2VkLXNlY3JldC1mb3JnZWQtc2VjcmV0IQ=="),
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.code).toBe("webhook_invalid_signature");
    expect((await post(execution.resumeUrl, forged, {})).status).toBe(401);
    expect(n8n.execution(execution.executionId).status).toBe("waiting");

    await countersign.approve(pauseId);
    const [approved] = branches(await n8n.finished(execution.executionId));
    expect(approved[0]?.decision).toBe("approved");
  });

  // The attacker here holds the webhook secret but not the proof secret or signing key.
  type Tamper = (event: { data: { pause: CorePause; proof: Record<string, unknown> } }) => void;
  const tamperings: [string, string, Tamper][] = [
    [
      "the proof's data",
      "proof_invalid_signature",
      (event) => {
        event.data.proof.data = { ...order, amount: 9_999 };
      },
    ],
    [
      "the proof's approver",
      "proof_invalid_signature",
      (event) => {
        event.data.proof.decided_by = { kind: "human", id: "mallory@example.com" };
      },
    ],
    [
      "the proof's signature",
      "proof_invalid_signature",
      (event) => {
        event.data.proof.signature = `sha256=${"0".repeat(64)}`;
      },
    ],
    [
      "the pause's action",
      "proof_digest_mismatch",
      (event) => {
        event.data.pause.action.data = { ...order, amount: 9_999 };
      },
    ],
    [
      "the decision (a rejection made an approval)",
      "proof_invalid_signature",
      (event) => {
        event.data.pause.status = "approved";
        event.data.proof.decision = "approved";
      },
    ],
  ];
  for (const [what, code, tamper] of tamperings) {
    it(`stays paused when ${what} was tampered with, and accepts the genuine delivery after`, async () => {
      const { execution, pauseId } = await waitingRun();
      const decide = what.startsWith("the decision")
        ? () => countersign.reject(pauseId, "No")
        : () => countersign.approve(pauseId);
      const genuine = await captureDelivery(pauseId, decide);
      const event = JSON.parse(genuine.rawBody.toString("utf8"));
      tamper(event);
      const body = JSON.stringify(event);
      const refused = await post(execution.resumeUrl, body, await signed(body));
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe(code);
      expect(n8n.execution(execution.executionId).status).toBe("waiting");

      const headers = Object.fromEntries(
        ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [
          name,
          String(genuine.headers[name]),
        ]),
      );
      expect((await post(execution.resumeUrl, genuine.rawBody.toString("utf8"), headers)).status).toBe(200);
      const [approved, rejected] = branches(await n8n.finished(execution.executionId));
      expect(what.startsWith("the decision") ? rejected : approved).toHaveLength(1);
    });
  }

  it("refuses a genuine decision for another pause replayed to this execution", async () => {
    const first = await waitingRun();
    const second = await waitingRun();
    const genuine = await captureDelivery(second.pauseId, () => countersign.approve(second.pauseId));
    const body = genuine.rawBody.toString("utf8");
    const headers = Object.fromEntries(
      ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [
        name,
        String(genuine.headers[name]),
      ]),
    );
    const replayed = await post(first.execution.resumeUrl, body, headers);
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe("webhook_wrong_pause");
    expect(n8n.execution(first.execution.executionId).status).toBe("waiting");
  });

  it("refuses a correctly signed delivery older than five minutes (a replay)", async () => {
    const { execution, pauseId } = await waitingRun();
    const genuine = await captureDelivery(pauseId, () => countersign.approve(pauseId));
    const body = genuine.rawBody.toString("utf8");
    const stale = await post(
      execution.resumeUrl,
      body,
      await signed(body, countersign.webhookSecret, Math.floor(Date.now() / 1000) - 600),
    );
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe("webhook_timestamp_out_of_range");
    expect(n8n.execution(execution.executionId).status).toBe("waiting");
  });

  it("sends JSON data when chosen, and refuses bad JSON or an expiry past 30 days before opening a pause", async () => {
    const { pauseId } = await waitingRun({ dataSource: "json", dataJson: '{"order_id":"7","amount":5}' });
    expect((await countersign.server.service.getPause(pauseId))?.action.data).toEqual({
      order_id: "7",
      amount: 5,
    });
    const before = (await countersign.server.service.listPauses({ limit: 100 })).items.length;
    for (const [parameters, message] of [
      [{ dataSource: "json", dataJson: "{not json" }, /not valid JSON/],
      [{ dataSource: "json", dataJson: "[1, 2]" }, /must be a JSON object/],
      [{ expiresAmount: 31, expiresUnit: "days" }, /30 days/],
      [{ actionType: " " }, /Action Type is required/],
    ] as const) {
      const execution = await n8n.run({
        node: approvalNode(parameters),
        credentials: credentials(),
        items: [{ json: order }],
      });
      expect(execution.status).toBe("error");
      expect(execution.error?.message).toMatch(message);
    }
    expect((await countersign.server.service.listPauses({ limit: 100 })).items).toHaveLength(before);
  });

  it("fails before opening anything when the credential cannot verify proofs", async () => {
    const before = await countersign.server.service.listPauses({ limit: 100 });
    const execution = await n8n.run({
      node: approvalNode(),
      credentials: credentials({ proofSecret: "", publicKeys: "" }),
      items: [{ json: order }],
    });
    expect(execution.status).toBe("error");
    expect(execution.error?.message).toMatch(/Proof Secret or the Public Keys/);
    expect((await countersign.server.service.listPauses({ limit: 100 })).items).toHaveLength(
      before.items.length,
    );
  });

  it("fails (never approves) when Countersign is unreachable or refuses the key", async () => {
    const unreachable = await n8n.run({
      node: approvalNode(),
      credentials: credentials({ serverUrl: "http://127.0.0.1:9" }),
      items: [{ json: order }],
    });
    expect(unreachable.status).toBe("error");
    expect(unreachable.error).toBeInstanceOf(NodeApiError);
    const badKey = await n8n.run({
      node: approvalNode(),
      credentials: credentials({ apiKey: "csk_agent_wrong" }),
      items: [{ json: order }],
    });
    expect(badKey.status).toBe("error");
    expect(badKey.error?.message).toMatch(/refused/);
  });

  it("fails before opening a pause when n8n's ten custom data keys are taken", async () => {
    const customData = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`key_${index}`, "x"]));
    const execution = await n8n.run({
      node: approvalNode(),
      credentials: credentials(),
      items: [{ json: order }],
      customData,
    });
    expect(execution.status).toBe("error");
    expect(execution.error?.message).toMatch(/custom execution data/);
  });
});

describe("Countersign Approval when policy decides at once", () => {
  it("routes an auto-approval and a denial without waiting", async () => {
    const server = await startTestServer({
      policy: {
        evaluate: (request) =>
          request.action.type === "refund"
            ? { outcome: "auto_approve", rule: "small-refunds", version: "1" }
            : { outcome: "deny", rule: "no-deletes", version: "1", reason: "Deletes are not allowed" },
      },
    });
    try {
      const creds = {
        ...credentials(),
        serverUrl: server.url,
        apiKey: server.agentKey,
        webhookSecret: server.webhookSecret,
        proofSecret: server.proofSecret,
        publicKeys: JSON.stringify(server.jwks),
      };
      const approvedRun = await n8n.run({
        node: approvalNode(),
        credentials: creds,
        items: [{ json: order }],
      });
      expect(approvedRun.status).toBe("success");
      expect(branches(approvedRun)[0][0]).toMatchObject({
        decision: "approved",
        approver: { kind: "policy" },
      });
      const deniedRun = await n8n.run({
        node: approvalNode({ actionType: "delete" }),
        credentials: creds,
        items: [{ json: order }],
      });
      expect(branches(deniedRun)[1][0]).toMatchObject({
        decision: "rejected",
        reason: "Deletes are not allowed",
      });
    } finally {
      await server.close();
    }
  });
});
