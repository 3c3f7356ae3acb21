import { resultDigest } from "@countersign/core";
import { expect, test } from "vitest";
import { runDemo } from "./demo.ts";

test("the service pays only what a human approved, as approved, once, and says so in a receipt", async () => {
  const { ledger, statuses, answer, pause } = await runDemo();

  // A direct call without a proof is refused before the handler runs.
  expect(statuses.direct).toBe(403);
  // The edited amount is what was paid, keyed by the pause id, once.
  expect(ledger).toEqual([
    {
      payment_id: "pay_1",
      payee: "Acme Corp",
      amount: 12000,
      currency: "USD",
      idempotency_key: pause.pause_id,
    },
  ]);
  expect(answer).toBe("Tool said: Paid 12000 USD to Acme Corp (pay_1).");
  // The replayed proof is refused; so is the amount the human did not approve.
  expect(statuses.replay).toBe(409);
  expect(statuses.asRequested).toBe(403);
  // The receipt: signed, by the service's executor key, committing to what it paid.
  expect(pause.execution).toMatchObject({
    outcome: "succeeded",
    proof_id: pause.proof!.proof_id,
    result_digest: await resultDigest(ledger[0]),
    reported_by: { kind: "executor", identity: "payments-service" },
  });
});
