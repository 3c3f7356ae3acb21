import { expect, test } from "vitest";
import { runDemo } from "./demo.ts";

test("the bot refunds what a human approved, as approved, once", async () => {
  const { refunds, answers } = await runDemo();

  expect(refunds).toEqual([
    { orderId: "1001", amountUsd: 120, reason: "Arrived broken" },
    { orderId: "1003", amountUsd: 100, reason: "One of three items missing" },
    { orderId: "1004", amountUsd: 20, reason: "Late delivery" },
  ]);
  expect(answers.approved).toBe("Done: $120 refunded on order 1001 (re_1).");
  expect(answers.rejected).toBe("I can't issue that refund: Outside the 30-day return window.");
  expect(answers.edited).toBe("Done: $100 refunded on order 1003 (re_2).");
  expect(answers.small).toBe("Done: $20 refunded on order 1004 (re_3).");
  expect(answers.replayed).toMatch(/^The refund did not go through: .*already claimed/);
});
