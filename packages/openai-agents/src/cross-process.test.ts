import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isCountersignError, verifyWebhook } from "@countersign/core";
import { RunState, run, ToolCallError } from "@openai/agents";
import { ScriptedModel } from "@openai/agents/testing";
import { afterEach, beforeEach, expect, test } from "vitest";
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

test("stop in one process, resume from the pause.decided webhook in another", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid Acme."));
  const saved = new Map<string, string>();
  let resumed: Promise<unknown> = new Promise(() => {});
  let finalOutput: unknown;
  let webhookUrl = "";

  // The "webhook process": verifies the delivery, restores the run and resumes it.
  const hooks = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", async () => {
      const event = await verifyWebhook(
        body,
        request.headers as Record<string, string>,
        fixture.server.webhookSecret,
      );
      response.writeHead(204).end();
      // Built as the agent process built it: same tool options, so the same pause is found again.
      const agent = fixture.agent(model, { webhookUrl });
      const state = await RunState.fromString(agent, saved.get(event.data.pause.pause_id)!);
      resumed = resumeWithApprovals(agent, state).then((result) => {
        finalOutput = result.finalOutput;
      });
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  webhookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/countersign`;

  try {
    // The "agent process": runs until the approval, opens the pause, saves the state, ends.
    const agent = fixture.agent(model, { webhookUrl });
    const result = await run(agent, "Pay the Acme invoice");
    const [opened] = await requestApprovals(result);
    expect(opened?.pause.status).toBe("pending");
    expect(opened?.pause.webhook_url).toBe(webhookUrl);
    saved.set(opened!.pause.pause_id, result.state.toString());
    expect(fixture.payments).toEqual([]);

    await fixture.server.approve(opened!.pause.pause_id);
    await expect.poll(() => finalOutput, { timeout: 10_000 }).toBe("Paid Acme.");
    await resumed;
  } finally {
    await new Promise((resolve) => hooks.close(resolve));
  }
  expect(fixture.payments).toEqual([PAYMENT]);
  expect(toolOutputsSeen(model, 1)).toEqual(["Paid Acme Corp 12450 USD"]);
});

test("a process that gates the tool with other options resumes the same pause for the same call, once", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid."));
  const result = await run(fixture.agent(model), "Pay the Acme invoice");
  const [opened] = await requestApprovals(result);
  await fixture.server.approve(opened!.pause.pause_id);
  // A deploy changed the options in between: the earlier pause still stands for this very call.
  const other = fixture.agent(model, { expiresIn: 60, title: "Another title" });
  const state = await RunState.fromString(other, result.state.toString());

  await resumeWithApprovals(other, state);

  expect(fixture.payments).toEqual([PAYMENT]);
  expect((await fixture.server.server.service.listPauses({ limit: 10 })).items).toHaveLength(1);
});

test("server down before the decision: nothing runs and the error says why", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid."));
  const agent = fixture.agent(model);
  const result = await run(agent, "Pay the Acme invoice");
  await fixture.close();

  const error = await resumeWithApprovals(agent, result).catch((caught: unknown) => caught);

  expect(isCountersignError(error, "network_error")).toBe(true);
  expect(fixture.payments).toEqual([]);
  expect(result.state.getInterruptions()).toHaveLength(1);
});

test("server down between the approval and the tool: the tool does not run", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid."));
  const agent = fixture.agent(model);
  const result = await run(agent, "Pay the Acme invoice");
  await Promise.all([resolveApprovals(result), approveNext(fixture.server)]);
  await fixture.close();

  const error = await run(agent, result.state).catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(ToolCallError);
  expect(isCountersignError((error as ToolCallError).error, "network_error")).toBe(true);
  expect(fixture.payments).toEqual([]);
});

test("no decision in time: the wait fails and the run state is left as it was", async () => {
  const model = new ScriptedModel(payThenAnswer("Paid."));
  const agent = fixture.agent(model);
  const result = await run(agent, "Pay the Acme invoice");

  const error = await resumeWithApprovals(agent, result, { timeoutMs: 200 }).catch(
    (caught: unknown) => caught,
  );

  expect(isCountersignError(error, "timeout")).toBe(true);
  expect(fixture.payments).toEqual([]);
  expect(result.state.getInterruptions()).toHaveLength(1);
  expect((await fixture.server.nextPendingPause()).action.data).toEqual(PAYMENT);
});
