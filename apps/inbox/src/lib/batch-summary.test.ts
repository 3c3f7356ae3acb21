import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { amountOf, summarizeBatch } from "./batch-summary.ts";

function pause(type: string, agentId: string, data?: Record<string, unknown>): Pause {
  return {
    pause_id: `pau_${Math.random().toString(36).slice(2)}`,
    agent_id: agentId,
    action: { type, ...(data && { data }) },
    status: "pending",
  } as unknown as Pause;
}

describe("the summary of a batch", () => {
  it("counts refunds, totals their amounts in their currency, and counts the agents", () => {
    const refunds = [
      pause("refund", "support-agent", { amount: 1200, currency: "USD", order_id: 5512 }),
      pause("refund", "billing-agent", { amount: 600, currency: "usd", order_id: 5513 }),
      pause("refund", "support-agent", { amount: 40, currency: "USD", order_id: 5514 }),
    ];
    expect(summarizeBatch(refunds, "en-US")).toEqual({
      count: "3 pauses",
      types: "3 refunds",
      totals: ["$1,840 in total"],
      agents: "2 agents",
      agentIds: ["billing-agent", "support-agent"],
    });
  });

  it("keeps cents, totals each currency apart, and keeps a code Intl does not know as written", () => {
    const mixed = [
      pause("payment", "a", { amount: 10.5, currency: "EUR" }),
      pause("payment", "a", { amount: 20, currency: "USD" }),
      pause("payment", "a", { amount: 1, currency: "EUR" }),
    ];
    expect(summarizeBatch(mixed, "en-US").totals).toEqual(["€11.50 + $20 in total"]);
    expect(
      summarizeBatch([pause("payment", "a", { amount: 5, currency: "dollars" })], "en-US").totals,
    ).toEqual(["5 DOLLARS in total"]);
  });

  it("labels the sum with the field's name when there is no currency, and never sums identifiers", () => {
    const orders = [
      pause("purchase_order", "buyer", { qty: 3, unit_price: 10, po_number: 1, supplierId: 7, note: "x" }),
      pause("purchase_order", "buyer", { qty: 4, unit_price: 2.25, po_number: 2, supplierId: 8 }),
    ];
    expect(summarizeBatch(orders, "en-US")).toMatchObject({
      count: "2 pauses",
      types: "2 × purchase_order",
      totals: ["qty: 7 in total", "unit_price: 12.25 in total"],
      agents: "1 agent",
    });
    const amounts = [pause("transfer", "a", { amount: 1000 }), pause("transfer", "a", { amount: 500 })];
    expect(summarizeBatch(amounts, "en-US").totals).toEqual(["amount: 1,500 in total"]);
  });

  it("shows no total when the pauses share no numeric argument, and names each type", () => {
    const assorted = [
      pause("payment", "a", { amount: 5 }),
      pause("refund", "b", { amount: "5" }),
      pause("refund", "c"),
      pause("db.drop", "c"),
      pause("deploy", "c"),
      pause("deploy", "c"),
    ];
    expect(summarizeBatch(assorted, "en-US")).toMatchObject({
      count: "6 pauses",
      types: "2 deploys, 2 refunds, 1 × db.drop and 1 payment",
      totals: [],
      agents: "3 agents",
    });
  });

  it("shows one pause's amount in its currency, or labelled without one", () => {
    expect(amountOf(pause("refund", "a", { amount: 1200, currency: "usd" }), "en-US")).toBe("$1,200");
    expect(amountOf(pause("refund", "a", { amount: 12.5 }), "en-US")).toBe("amount 12.5");
    expect(amountOf(pause("refund", "a", { amount: "12" }), "en-US")).toBeNull();
    expect(amountOf(pause("refund", "a"), "en-US")).toBeNull();
  });
});
