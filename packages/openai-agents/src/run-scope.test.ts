import { run } from "@openai/agents";
import { ScriptedModel } from "@openai/agents/testing";
import { afterEach, beforeEach, expect, test } from "vitest";
import { requestApprovals } from "./request-approvals.ts";
import { resumeWithApprovals } from "./resume-with-approvals.ts";
import {
  approveNext,
  PAYMENT,
  type PaymentsFixture,
  payThenAnswer,
  startPaymentsFixture,
  toolOutputsSeen,
} from "./test-support/payments-fixture.ts";

// Issue 18, item 1: call ids repeat across runs (fixtures, custom models, some
// providers). An approval belongs to the run that asked for it.

let fixture: PaymentsFixture;
beforeEach(async () => {
  fixture = await startPaymentsFixture();
});
afterEach(async () => {
  await fixture.close();
});

test("a later run with a repeated call id opens a new pause and never runs on an earlier, unused approval", async () => {
  const earlierModel = new ScriptedModel(payThenAnswer("Paid."));
  const earlier = await run(fixture.agent(earlierModel), "Pay the Acme invoice");
  const [unused] = await requestApprovals(earlier);
  await fixture.server.approve(unused!.pause.pause_id);

  const model = new ScriptedModel(payThenAnswer("Not paid."));
  const agent = fixture.agent(model);
  const later = await run(agent, "Pay the Acme invoice");
  const rejectNew = async () => {
    const pause = await fixture.server.nextPendingPause();
    expect(pause.pause_id).not.toBe(unused!.pause.pause_id);
    await fixture.server.reject(pause.pause_id, "Already paid last week");
  };
  await Promise.all([resumeWithApprovals(agent, later), rejectNew()]);

  expect(fixture.payments).toEqual([]);
  expect(toolOutputsSeen(model, 1)).toEqual([expect.stringContaining("Already paid last week")]);
});

test("a later run with a repeated call id asks again after an earlier run used its approval, and runs when approved", async () => {
  const firstModel = new ScriptedModel(payThenAnswer("Paid."));
  const firstAgent = fixture.agent(firstModel);
  const first = await run(firstAgent, "Pay the Acme invoice");
  await Promise.all([resumeWithApprovals(firstAgent, first), approveNext(fixture.server)]);
  expect(fixture.payments).toEqual([PAYMENT]);

  const model = new ScriptedModel(payThenAnswer("Paid again."));
  const agent = fixture.agent(model);
  const second = await run(agent, "Pay the Acme invoice");
  await Promise.all([resumeWithApprovals(agent, second), approveNext(fixture.server)]);

  expect(fixture.payments).toEqual([PAYMENT, PAYMENT]);
  expect(toolOutputsSeen(model, 1)).toEqual(["Paid Acme Corp 12450 USD"]);
});
