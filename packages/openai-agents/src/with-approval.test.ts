import { isCountersignError } from "@countersign/core";
import { Agent, RunState, run, ToolCallError } from "@openai/agents";
import { assistantMessage, functionCall, ScriptedModel } from "@openai/agents/testing";
import { afterEach, beforeEach, expect, test } from "vitest";
import { resumeWithApprovals } from "./resume-with-approvals.ts";
import {
  approveNext,
  CALL_ID,
  PAYMENT,
  type PaymentsFixture,
  payThenAnswer,
  startPaymentsFixture,
  toolOutputsSeen,
} from "./test-support/payments-fixture.ts";
import { withApproval } from "./with-approval.ts";

let fixture: PaymentsFixture;
beforeEach(async () => {
  fixture = await startPaymentsFixture();
});
afterEach(async () => {
  await fixture.close();
});

test("without Countersign, the SDK runs an approved call once per resume of the same snapshot", async () => {
  // Why the claim exists: the SDK cannot tell a replayed snapshot from a fresh one.
  const model = new ScriptedModel(payThenAnswer("Paid.", "Paid."));
  const agent = new Agent({
    name: "billing",
    model,
    tools: [{ ...fixture.payTool(), needsApproval: async () => true }],
  });
  const saved = (await run(agent, "Pay the Acme invoice")).state.toString();
  for (let resume = 0; resume < 2; resume++) {
    const state = await RunState.fromString(agent, saved);
    state.approve(state.getInterruptions()[0]!);
    await run(agent, state);
  }
  expect(fixture.payments).toEqual([PAYMENT, PAYMENT]);
});

test("calls the policy lets through run at once, without a pause", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid."));
  const agent = fixture.agent(model, { when: (payment) => payment.amount > 50_000 });
  const result = await run(agent, "Pay the Acme invoice");

  expect(result.interruptions).toEqual([]);
  expect(fixture.payments).toEqual([PAYMENT]);
  expect((await fixture.server.server.service.listPauses({ limit: 10 })).items).toEqual([]);
});

test("a call approved in the run state but not in Countersign does not run", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid."));
  const agent = fixture.agent(model);
  const result = await run(agent, "Pay the Acme invoice");
  result.state.approve(result.interruptions[0]!);

  const error = await run(agent, result.state).catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(ToolCallError);
  const cause = (error as ToolCallError).error;
  expect(isCountersignError(cause, "not_approved")).toBe(true);
  expect((cause as Error).message).toMatch(/its Countersign pause pau_\w+ is pending/);
  expect(fixture.payments).toEqual([]);
});

test("an approval whose proof does not verify is never applied", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid."));
  const agent = fixture.agent(model, { verify: { secret: "a-different-proof-secret-of-the-right-length" } });
  const result = await run(agent, "Pay the Acme invoice");

  const [outcome] = await Promise.allSettled([
    resumeWithApprovals(agent, result),
    approveNext(fixture.server),
  ]);

  expect(outcome.status).toBe("rejected");
  const reason = (outcome as PromiseRejectedResult).reason;
  expect(isCountersignError(reason) && reason.code.startsWith("proof_")).toBe(true);
  expect(fixture.payments).toEqual([]);
  expect(result.state.getInterruptions()).toHaveLength(1);
  expect(toolOutputsSeen(model, 1)).toEqual([]);
});

test("wrapping a tool twice is refused", async () => {
  const model = new ScriptedModel([]);
  const gated = fixture.agent(model).tools[0]!;
  expect(() =>
    withApproval(gated as never, { client: {} as never, agentId: "billing-agent", verify: { secret: "x" } }),
  ).toThrow(/already gated/);
});

test("a call whose arguments are not JSON is refused without a pause, and the model is told", async () => {
  const model = new ScriptedModel([
    [functionCall("pay_invoice", "{not json", { callId: CALL_ID })],
    [assistantMessage("Retrying.")],
  ]);
  const agent = fixture.agent(model);
  const result = await run(agent, "Pay the Acme invoice");
  expect(result.interruptions.map((item) => item.name)).toEqual(["pay_invoice"]);

  const resumed = await resumeWithApprovals(agent, result);

  expect(fixture.payments).toEqual([]);
  // The SDK shows the model its own generic text for calls with invalid arguments.
  expect(toolOutputsSeen(model, 1)).toEqual(["Tool execution was not approved."]);
  expect(resumed.finalOutput).toBe("Retrying.");
  expect((await fixture.server.server.service.listPauses({ limit: 10 })).items).toEqual([]);
});
