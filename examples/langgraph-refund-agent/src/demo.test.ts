import { expect, test } from "vitest";
import { runDemo } from "./demo.ts";

test("the demo refunds what humans approved, as they approved it, once", async () => {
  const { refunded, answers } = await runDemo();

  expect(refunded).toEqual([
    { orderId: "A-1001", amount: 120, currency: "EUR" },
    { orderId: "A-1003", amount: 20, currency: "EUR" },
    { orderId: "A-1004", amount: 150, currency: "EUR" },
    { orderId: "A-1005", amount: 75, currency: "EUR" },
  ]);
  expect(answers.approved).toBe("Tool said: Refunded 120 EUR on order A-1001.");
  expect(answers.rejected).toContain("Item was never returned");
  expect(answers.rejected).toContain("NOT performed");
  expect(answers.small).toBe("Tool said: Refunded 20 EUR on order A-1003.");
  expect(answers.edited).toBe("Tool said: Refunded 150 EUR on order A-1004.");
  expect(answers.webhook).toBe("Tool said: Refunded 75 EUR on order A-1005.");
  expect(answers.redelivered).toBe("nothing left to resume");
});
