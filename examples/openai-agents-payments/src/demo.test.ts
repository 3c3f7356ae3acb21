import { expect, test } from "vitest";
import { runDemo } from "./demo.ts";

test("the demo pays what humans approved, as they approved it, once", async () => {
  const { sent, answers } = await runDemo();

  expect(sent).toEqual([
    { payee: "Acme Corp", amount: 12_450, currency: "USD" },
    { payee: "Initech", amount: 200, currency: "USD" },
    { payee: "Umbrella Corp", amount: 20_000, currency: "USD" },
  ]);
  expect(answers.approved).toBe("Tool said: Sent 12450 USD to Acme Corp.");
  expect(answers.rejected).toContain("Duplicate of invoice INV-88");
  expect(answers.webhook).toBe("Tool said: Sent 20000 USD to Umbrella Corp.");
  expect(answers.redelivered).toContain("Not run again");
});
