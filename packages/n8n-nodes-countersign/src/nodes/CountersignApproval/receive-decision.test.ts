import {
  type Action,
  actionDigest,
  generateEd25519Jwk,
  generateWebhookSecret,
  loadSigningKeys,
  type Proof,
  type SigningKeys,
  signProof,
  signWebhook,
} from "@countersign/core";
import type { INode } from "n8n-workflow";
import { beforeAll, describe, expect, it } from "vitest";
import type { DecisionJson } from "../../shared/decision-item.ts";
import { waitingPauseKey } from "../../shared/waiting-pause.ts";
import { createWebhookContext, type LoggedLine, recordedResponse } from "../../testing/execution-contexts.ts";
import { receiveDecision } from "./receive-decision.ts";

// The webhook half on its own, with events signed by @countersign/core's
// signers, for the cases a live server does not produce on demand.

const proofSecret = "receive-decision-test-proof-secret-0123456789";
const webhookSecret = generateWebhookSecret();
const action: Action = {
  type: "refund",
  title: "Refund order #1042",
  data: { order_id: "1042", amount: 129.9 },
};
const node: INode = {
  id: "b7c9d1e2-0000-4000-8000-000000000001",
  name: "Approve refund",
  type: "n8n-nodes-countersign.countersignApproval",
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};
const credentials = { serverUrl: "http://127.0.0.1:1", apiKey: "csk_agent_x", webhookSecret, proofSecret };
let keys: SigningKeys;

beforeAll(async () => {
  keys = await loadSigningKeys({ secret: proofSecret, ed25519: await generateEd25519Jwk() });
});

async function proofFor(decision: Proof["decision"], overrides: Partial<Proof> = {}): Promise<Proof> {
  const now = Date.now();
  return signProof(
    {
      v: 1,
      proof_id: "prf_test",
      pause_id: "pau_test",
      agent_id: "n8n",
      action_digest: await actionDigest(action),
      decision,
      human_response: decision !== "expired",
      decided_by:
        decision === "expired"
          ? { kind: "timeout", id: "countersign" }
          : { kind: "human", id: "alice@example.com" },
      reason: null,
      data: null,
      issued_at: new Date(now).toISOString(),
      valid_until: new Date(now + 900_000).toISOString(),
      ...overrides,
    },
    keys,
  );
}

function pauseJson(status: string, proof: Proof | null) {
  return {
    object: "pause",
    pause_id: "pau_test",
    status,
    agent_id: "n8n",
    action,
    recipients: [],
    webhook_url: "http://127.0.0.1/webhook-waiting/1",
    context: { framework: "n8n" },
    metadata: {},
    created_at: new Date().toISOString(),
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    decision:
      status === "pending"
        ? null
        : {
            status,
            decided_by: proof?.decided_by ?? { kind: "agent", id: "agent-owner@example.com" },
            reason: proof?.reason ?? null,
            data: null,
            decided_at: new Date().toISOString(),
          },
    proof,
    claimed_at: null,
    links: { self: "", events: "", decision: "", inbox: "http://127.0.0.1/inbox/pauses/pau_test" },
  };
}

async function deliver(
  body: string,
  options: { waitingFor?: string | null; credentials?: Record<string, string>; rawBody?: boolean } = {},
) {
  const headers = await signWebhook({
    id: "msg_1",
    timestamp: Math.floor(Date.now() / 1000),
    body,
    secret: webhookSecret,
  });
  const waitingFor = options.waitingFor === undefined ? "pau_test" : options.waitingFor;
  const response = recordedResponse();
  const log: LoggedLine[] = [];
  const context = createWebhookContext({
    node,
    credentials: options.credentials ?? credentials,
    executionId: "1",
    workflowId: "wf",
    runData: { resultData: { metadata: waitingFor ? { [waitingPauseKey(node)]: waitingFor } : {} } },
    log,
    request: {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      rawBody: options.rawBody === false ? (undefined as unknown as Buffer) : Buffer.from(body, "utf8"),
      body: {},
      query: {},
    },
    response,
  });
  const result = await receiveDecision(context);
  return { result, response, log };
}

const event = (pause: unknown, proof: Proof | null) =>
  JSON.stringify({ type: "pause.decided", timestamp: new Date().toISOString(), data: { pause, proof } });

function refusal(outcome: Awaited<ReturnType<typeof deliver>>) {
  expect(outcome.result.workflowData).toBeUndefined();
  expect(outcome.result.noWebhookResponse).toBe(true);
  return { status: outcome.response.statusCode, code: (outcome.response.body as { code: string }).code };
}

describe("receiveDecision", () => {
  it("does not continue on a genuine approval it cannot claim (Countersign unreachable): 503, still paused", async () => {
    const proof = await proofFor("approved");
    expect(refusal(await deliver(event(pauseJson("approved", proof), proof)))).toEqual({
      status: 503,
      code: "claim_failed",
    });
  });

  it("sends an approval whose proof is past valid_until to Rejected as expired", async () => {
    const proof = await proofFor("approved", {
      issued_at: new Date(Date.now() - 7_200_000).toISOString(),
      valid_until: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const { result } = await deliver(event(pauseJson("approved", proof), proof));
    expect(result.workflowData?.[0]).toEqual([]);
    const decision = result.workflowData?.[1]?.[0]?.json as DecisionJson | undefined;
    expect(decision?.decision).toBe("expired");
    expect(decision?.reason).toMatch(/too late/);
  });

  it("sends a cancelled pause (which carries no proof) to Rejected", async () => {
    const { result } = await deliver(event(pauseJson("cancelled", null), null));
    expect((result.workflowData?.[1]?.[0]?.json as DecisionJson | undefined)?.decision).toBe("cancelled");
  });

  it("refuses an approval without a proof", async () => {
    expect(refusal(await deliver(event(pauseJson("approved", null), null)))).toEqual({
      status: 401,
      code: "proof_missing",
    });
  });

  it("refuses when the pause and its genuine proof disagree", async () => {
    const proof = await proofFor("approved");
    expect(refusal(await deliver(event(pauseJson("rejected", proof), proof)))).toEqual({
      status: 401,
      code: "webhook_malformed",
    });
  });

  it("refuses a pending pause, a body that is not JSON, and an execution that waits for no pause", async () => {
    expect(refusal(await deliver(event(pauseJson("pending", null), null))).code).toBe("webhook_malformed");
    expect(refusal(await deliver("not json")).code).toBe("webhook_malformed");
    const proof = await proofFor("approved");
    expect(
      refusal(await deliver(event(pauseJson("approved", proof), proof), { waitingFor: null })).code,
    ).toBe("webhook_wrong_pause");
  });

  it("refuses, without throwing, when the raw body is missing or the credential is unusable", async () => {
    const proof = await proofFor("approved");
    const body = event(pauseJson("approved", proof), proof);
    expect(refusal(await deliver(body, { rawBody: false })).code).toBe("webhook_malformed");
    const broken = await deliver(body, { credentials: { ...credentials, webhookSecret: "" } });
    expect(refusal(broken)).toEqual({ status: 500, code: "credentials_unusable" });
    expect(broken.log.some((line) => line.level === "warn" && /Webhook Secret/.test(line.message))).toBe(
      true,
    );
  });
});
