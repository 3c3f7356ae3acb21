import { type Agent, RunState, run } from "@openai/agents";
import { ScriptedModel } from "@openai/agents/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { ApprovalSource } from "./gated-interruptions.ts";
import { requestApprovals } from "./request-approvals.ts";
import { resolveApprovals } from "./resolve-approvals.ts";
import { resumeWithApprovals } from "./resume-with-approvals.ts";
import {
  approveNext,
  PAYMENT,
  type PaymentsFixture,
  payThenAnswer,
  startPaymentsFixture,
  toolOutputsSeen,
} from "./test-support/payments-fixture.ts";

let fixture: PaymentsFixture;
beforeEach(async () => {
  fixture = await startPaymentsFixture();
});
afterEach(async () => {
  await fixture.close();
});

describe.each([
  { mode: "non-streaming", stream: false },
  { mode: "streaming", stream: true },
])("$mode", ({ stream }) => {
  async function runToInterruption(model: ScriptedModel) {
    const agent = fixture.agent(model);
    if (!stream) return { agent, result: await run(agent, "Pay the Acme invoice") };
    const result = await run(agent, "Pay the Acme invoice", { stream: true });
    await result.completed;
    return { agent, result };
  }

  async function resume(agent: Agent, source: ApprovalSource) {
    if (!stream) return (await resumeWithApprovals(agent, source)).finalOutput;
    const result = await resumeWithApprovals(agent, source, { stream: true });
    let text = "";
    for await (const chunk of result.toTextStream()) text += chunk;
    await result.completed;
    expect(result.finalOutput).toBe(text);
    return result.finalOutput;
  }

  test("approved: the tool runs exactly once and the model sees its result", async () => {
    const model = new ScriptedModel(payThenAnswer("Paid Acme."));
    const { agent, result } = await runToInterruption(model);
    expect(result.interruptions.map((item) => item.name)).toEqual(["pay_invoice"]);
    expect(fixture.payments).toEqual([]);

    const [output] = await Promise.all([resume(agent, result.state), approveNext(fixture.server)]);

    expect(fixture.payments).toEqual([PAYMENT]);
    expect(toolOutputsSeen(model, 1)).toEqual(["Paid Acme Corp 12450 USD"]);
    expect(output).toBe("Paid Acme.");
  });

  test("rejected: the tool never runs and the model reads the reviewer's reason", async () => {
    const model = new ScriptedModel(payThenAnswer("I could not pay."));
    const { agent, result } = await runToInterruption(model);

    const reject = async () => {
      const pause = await fixture.server.nextPendingPause();
      await fixture.server.reject(pause.pause_id, "Vendor bank details unverified");
    };
    const [output] = await Promise.all([resume(agent, result.state), reject()]);

    expect(fixture.payments).toEqual([]);
    expect(toolOutputsSeen(model, 1)).toEqual([
      "Not run: a reviewer rejected pay_invoice. Reason: Vendor bank details unverified",
    ]);
    expect(output).toBe("I could not pay.");
  });
});

test("the pause shows the approver the exact call, and approved edits are what runs", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid a reduced amount."));
  const { proofSecret, jwks } = fixture.server;
  const agent = fixture.agent(model, { verify: { secret: proofSecret, keys: jwks } });
  const result = await run(agent, "Pay the Acme invoice");

  const edited = { ...PAYMENT, amount: 1000 };
  const decide = async () => {
    const pause = await fixture.server.nextPendingPause();
    expect(pause.agent_id).toBe("billing-agent");
    expect(pause.action).toEqual({
      type: "payment",
      title: "Pay Acme Corp 12450 USD",
      body: "The agent wants to run `pay_invoice` with:\n\n- **payee**: `Acme Corp`\n- **amount**: `12450`\n- **currency**: `USD`",
      risk: "high",
      data: PAYMENT,
    });
    expect(pause.context).toMatchObject({ framework: "openai-agents", tool_call_id: "call_pay_1" });
    await fixture.server.approve(pause.pause_id, { data: edited });
  };
  await Promise.all([resumeWithApprovals(agent, result), decide()]);

  expect(fixture.payments).toEqual([edited]);
  expect(toolOutputsSeen(model, 1)).toEqual(["Paid Acme Corp 1000 USD"]);
});

test("resuming the same snapshot twice runs the tool once", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid.", "Already paid."));
  const first = fixture.agent(model);
  const saved = (await run(first, "Pay the Acme invoice")).state.toString();

  const resumeFromSnapshot = async () => {
    const agent = fixture.agent(model);
    return resumeWithApprovals(agent, await RunState.fromString(agent, saved));
  };
  await Promise.all([resumeFromSnapshot(), approveNext(fixture.server)]);
  await resumeFromSnapshot();

  expect(fixture.payments).toEqual([PAYMENT]);
  expect(toolOutputsSeen(model, 2)).toEqual([
    expect.stringContaining("Not run again: this approved pay_invoice call"),
  ]);
});

test("resuming the same snapshot twice at once runs the tool once", async () => {
  const model = new ScriptedModel(payThenAnswer("Done.", "Done."));
  const first = fixture.agent(model);
  const stopped = await run(first, "Pay the Acme invoice");
  await requestApprovals(stopped);
  const saved = stopped.state.toString();
  await approveNext(fixture.server);

  const resumeFromSnapshot = async () => {
    const agent = fixture.agent(model);
    return resumeWithApprovals(agent, await RunState.fromString(agent, saved));
  };
  await Promise.all([resumeFromSnapshot(), resumeFromSnapshot()]);

  expect(fixture.payments).toEqual([PAYMENT]);
  const outputs = [toolOutputsSeen(model, 1), toolOutputsSeen(model, 2)].flat().sort();
  expect(outputs).toEqual([expect.stringContaining("Not run again"), "Paid Acme Corp 12450 USD"]);
});

test("an approved snapshot replayed with plain run() still runs the tool once", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid.", "Paid."));
  const agent = fixture.agent(model);
  const stopped = await run(agent, "Pay the Acme invoice");
  await requestApprovals(stopped);
  await approveNext(fixture.server);
  // Approve through Countersign, then keep the approved state: the SDK alone would run it per replay.
  const approved = (await resolveApprovals(stopped)).state.toString();

  for (let replay = 0; replay < 2; replay++) {
    await run(agent, await RunState.fromString(agent, approved));
  }

  expect(fixture.payments).toEqual([PAYMENT]);
});
