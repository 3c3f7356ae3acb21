import {
  actionDigest,
  createClient,
  generateEd25519Jwk,
  isOutage,
  isSecurityFailure,
  loadSigningKeys,
  type Pause,
  signProof,
} from "@countersign/core";
import { Command, MemorySaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WithApprovalOptions } from "./approval-options.ts";
import { approvalRequests } from "./approval-requests.ts";
import { countersignMiddleware } from "./countersign-middleware.ts";
import {
  type Countersign,
  refundTool,
  scriptedModel,
  startCountersign,
  textOf,
  threadConfig,
  toolCallId,
  toolMessagesSeen,
} from "./test-support/refund-fixture.ts";
import { resumeCommand, waitForDecision } from "./wait-for-decision.ts";
import { withApproval } from "./with-approval.ts";

let countersign: Countersign;
beforeAll(async () => {
  countersign = await startCountersign();
});
afterAll(async () => {
  await countersign.server.close();
});

const ask = { messages: [{ role: "user", content: "Please refund order A-1001" }] };

function refundAgent(options: Partial<WithApprovalOptions> = {}) {
  const { refund, runs } = refundTool();
  const gated = withApproval(refund, {
    client: countersign.client,
    agentId: "support-agent",
    verify: countersign.verify,
    ...options,
  });
  const model = scriptedModel([
    { name: "refund_payment", args: { orderId: "A-1001", amount: 40, currency: "EUR" }, id: toolCallId() },
  ]);
  // As the README builds it: Countersign failures reach the application, not the model.
  const agent = createAgent({
    model,
    tools: [gated],
    middleware: [countersignMiddleware()],
    checkpointer: new MemorySaver(),
  });
  return { agent, model, runs, config: threadConfig() };
}

async function pausedAgent(options: Partial<WithApprovalOptions> = {}) {
  const setup = refundAgent(options);
  const paused = await setup.agent.invoke(ask, setup.config);
  const [request] = approvalRequests(paused);
  if (!request) throw new Error("the agent did not pause");
  return { ...setup, paused, request };
}

/** The error a call fails with (it must fail). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the run to fail");
    },
    (error: unknown) => error,
  );
}

/** Resumes one interrupt with a hand-made decided pause. */
const resumeWith = (interruptId: string, pause: Pause) => resumeCommand([{ interruptId, pause }]);

describe("a resume the wrapper must not trust", () => {
  it("does not run the tool for an approval signed by someone else's key", async () => {
    const { agent, model, runs, config, request } = await pausedAgent();
    const pending = await countersign.client.getPause(request.pauseId);
    const attacker = await loadSigningKeys({
      secret: "attacker-secret-that-is-long-enough-0123",
      ed25519: await generateEd25519Jwk(),
    });
    const forgedProof = await signProof(
      {
        v: 1,
        proof_id: "prf_forged",
        pause_id: pending.pause_id,
        agent_id: pending.agent_id,
        action_digest: await actionDigest(pending.action),
        decision: "approved",
        human_response: true,
        decided_by: { kind: "human", id: "mallory@example.com" },
        reason: null,
        data: null,
        issued_at: new Date().toISOString(),
        valid_until: new Date(Date.now() + 600_000).toISOString(),
      },
      attacker,
    );
    // Claim the server's key id, so the verifier tries the real key and the signature fails.
    const serverKid = countersign.server.jwks.keys[0]!.kid;
    forgedProof.signatures = forgedProof.signatures.map((signature) => ({ ...signature, kid: serverKid }));
    const forged: Pause = { ...pending, status: "approved", proof: forgedProof };

    const error = await failure(agent.invoke(resumeWith(request.interruptId, forged), config));

    expect(runs).toEqual([]);
    expect(isSecurityFailure(error)).toBe(true);
    expect(error).toMatchObject({ code: "proof_invalid_signature" });
    expect(toolMessagesSeen(model)).toEqual([]);
    expect((await countersign.client.getPause(request.pauseId)).claimed_at).toBeNull();
  });

  it("does not run the tool when an approved proof was edited to raise the amount", async () => {
    const { agent, runs, config, request } = await pausedAgent();
    const approved = await countersign.server.approve(request.pauseId);
    const tampered: Pause = {
      ...approved,
      proof: { ...approved.proof!, data: { orderId: "A-1001", amount: 4000, currency: "EUR" } },
    };

    const error = await failure(agent.invoke(resumeWith(request.interruptId, tampered), config));

    expect(runs).toEqual([]);
    expect(isSecurityFailure(error)).toBe(true);
    expect((error as Error).message).toContain("signature does not verify");
  });

  it("does not run the tool on another call's approval relabelled as this call's", async () => {
    const other = await pausedAgent();
    const otherApproved = await countersign.server.approve(other.request.pauseId);
    const { agent, model, runs, config, request } = await pausedAgent();

    const error = await failure(
      agent.invoke(resumeWith(request.interruptId, { ...otherApproved, pause_id: request.pauseId }), config),
    );

    expect(runs).toEqual([]);
    expect(isSecurityFailure(error)).toBe(true);
    expect(toolMessagesSeen(model)).toEqual([]);
  });

  it("keeps waiting, without running, when resumed with another call's genuine approval", async () => {
    const other = await pausedAgent();
    const otherApproved = await countersign.server.approve(other.request.pauseId);
    const { agent, runs, config, request } = await pausedAgent();

    const result = await agent.invoke(resumeWith(request.interruptId, otherApproved), config);

    expect(runs).toEqual([]);
    expect(approvalRequests(result).map((next) => next.pauseId)).toEqual([request.pauseId]);
  });

  it("does not run the tool again when a finished resume is replayed from the interrupted checkpoint", async () => {
    const { agent, model, runs, config, paused } = await pausedAgent();
    const interrupted = await agent.graph.getState(config);
    await countersign.server.approve(approvalRequests(paused)[0]!.pauseId);
    const command = await waitForDecision(paused, { client: countersign.client });
    await agent.invoke(command, config);
    expect(runs).toHaveLength(1);

    // Time travel: the same resume again, from the checkpoint before the tool ran.
    await agent.invoke(command, interrupted.config);

    expect(runs).toHaveLength(1);
    expect(textOf(toolMessagesSeen(model)[0])).toContain("already ran once");
  });

  it("tells the model when nobody decided before the request expired", async () => {
    const { agent, model, runs, config, paused } = await pausedAgent({ expiresIn: 1 });

    await agent.invoke(
      await waitForDecision(paused, { client: countersign.client, timeoutMs: 10_000 }),
      config,
    );

    expect(runs).toEqual([]);
    const [seen] = toolMessagesSeen(model);
    expect(seen?.status).toBe("error");
    expect(textOf(seen)).toContain("expired");
    expect(textOf(seen)).toContain("NOT performed");
  });
});

describe("Countersign unreachable", () => {
  it("does not run the tool, and says why, when the server is down before the pause opens", async () => {
    const down = await startCountersign();
    await down.server.close();
    const { refund, runs } = refundTool();
    const gated = withApproval(refund, {
      client: createClient({ baseUrl: down.server.url, apiKey: down.server.agentKey, timeoutMs: 2_000 }),
      agentId: "support-agent",
      verify: down.verify,
    });
    const model = scriptedModel([
      { name: "refund_payment", args: { orderId: "A-1001", amount: 40, currency: "EUR" }, id: toolCallId() },
    ]);
    const agent = createAgent({
      model,
      tools: [gated],
      middleware: [countersignMiddleware()],
      checkpointer: new MemorySaver(),
    });

    const error = await failure(agent.invoke(ask, threadConfig()));

    expect(runs).toEqual([]);
    expect(isOutage(error)).toBe(true);
    expect(error).toMatchObject({ code: "network_error" });
    expect((error as Error).message).toContain("refund_payment (call");
    expect((error as Error).message).toContain("did not run");
  });

  it("does not run an approved tool when the server is down at resume (it cannot be claimed)", async () => {
    const own = await startCountersign();
    const { refund, runs } = refundTool();
    const gated = withApproval(refund, {
      client: createClient({ baseUrl: own.server.url, apiKey: own.server.agentKey, timeoutMs: 2_000 }),
      agentId: "support-agent",
      verify: { secret: own.server.proofSecret },
    });
    const model = scriptedModel([
      { name: "refund_payment", args: { orderId: "A-1001", amount: 40, currency: "EUR" }, id: toolCallId() },
    ]);
    const agent = createAgent({
      model,
      tools: [gated],
      middleware: [countersignMiddleware()],
      checkpointer: new MemorySaver(),
    });
    const config = threadConfig();
    const paused = await agent.invoke(ask, config);
    const [request] = approvalRequests(paused);
    const approved = await own.server.approve(request!.pauseId);
    await own.server.close();

    const error = await failure(
      agent.invoke(
        new Command({
          resume: { [request!.interruptId]: { type: "countersign.decision", pause: approved } },
        }),
        config,
      ),
    );

    expect(runs).toEqual([]);
    expect(isOutage(error)).toBe(true);
    expect((error as Error).message).toContain("retry the same resume");
  });
});
