import { AIMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import { MemorySaver } from "@langchain/langgraph";
import { createAgent } from "langchain";
import { afterAll, beforeAll, expect, it } from "vitest";
import { approvalRequests } from "./approval-requests.ts";
import { countersignMiddleware } from "./countersign-middleware.ts";
import {
  type Countersign,
  refundTool,
  type ScriptedCall,
  startCountersign,
  threadConfig,
  toolCallId,
} from "./test-support/refund-fixture.ts";
import { waitForDecision } from "./wait-for-decision.ts";
import { withApproval } from "./with-approval.ts";

// Issue 18, item 3: the README's quick start, as written, in the cases it must handle.

let countersign: Countersign;
beforeAll(async () => {
  countersign = await startCountersign();
});
afterAll(async () => {
  await countersign.server.close();
});

const refundCall = (amount: number): ScriptedCall => ({
  name: "refund_payment",
  args: { orderId: "A-1001", amount, currency: "EUR" },
  id: toolCallId(),
});

/** The README's agent and loop; `decide` plays the humans. */
async function readmeFlow(rounds: ScriptedCall[][], decide: () => Promise<void>) {
  const { refund, runs } = refundTool();
  const model = fakeModel();
  for (const calls of rounds)
    model.respondWithTools(calls.map((call) => ({ ...call, id: call.id ?? toolCallId() })));
  for (let answer = 0; answer < 4; answer++) model.respond(new AIMessage("done"));
  const agent = createAgent({
    model,
    tools: [
      withApproval(refund, {
        client: countersign.client,
        agentId: "support-agent",
        verify: countersign.verify,
        when: (args) => args.amount > 50,
      }),
    ],
    middleware: [countersignMiddleware()],
    checkpointer: new MemorySaver(),
  });
  const config = threadConfig();
  let result = await agent.invoke(
    { messages: [{ role: "user", content: "Refund 120 EUR on A-1001" }] },
    config,
  );
  let waits = 0;
  // The README's loop: as long as something waits for a human, wait and resume.
  while (approvalRequests(result).length > 0) {
    waits++;
    const deciding = decide();
    result = await agent.invoke(await waitForDecision(result, { client: countersign.client }), config);
    await deciding;
  }
  return { runs, waits, result };
}

const approveNext = async () => {
  const pause = await countersign.server.nextPendingPause();
  await countersign.server.approve(pause.pause_id);
};

it("works when nothing needs approval (under the `when` threshold)", async () => {
  const { runs, waits } = await readmeFlow([[refundCall(20)]], approveNext);
  expect(waits).toBe(0);
  expect(runs.map((run) => run.amount)).toEqual([20]);
});

it("works over several rounds of approvals", async () => {
  const { runs, waits } = await readmeFlow([[refundCall(120)], [refundCall(80)]], approveNext);
  expect(waits).toBe(2);
  expect(runs.map((run) => run.amount)).toEqual([120, 80]);
});
