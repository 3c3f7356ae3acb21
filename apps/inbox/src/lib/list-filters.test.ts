import type { Pause } from "@countersign/core";
import { describe, expect, it } from "vitest";
import {
  describeFilters,
  hasFilters,
  matchesFilters,
  NO_FILTERS,
  pauseListQuery,
  readFilters,
} from "./list-filters.ts";

const order = {
  pause_id: "pau_order1",
  agent_id: "procurement-bot",
  status: "pending",
  action: {
    type: "purchase_order",
    title: "Order laptops",
    risk: "high",
    data: { order: { number: "PO-88231", lines: [{ sku: "LAPTOP-14", qty: 12 }] } },
  },
} as unknown as Pause;

describe("list filters", () => {
  it("reads the URL and builds the API query with the server's parameter names", () => {
    const filters = readFilters(
      new URLSearchParams("q=%20PO-1%20&agent=bot&type=refund&risk=high&sort=newest"),
    );
    expect(filters).toEqual({ q: "PO-1", agent: "bot", type: "refund", risk: "high" });
    expect(pauseListQuery("decided", filters, "abc")).toBe(
      "status=decided&q=PO-1&agent_id=bot&action_type=refund&risk=high&cursor=abc",
    );
    expect(pauseListQuery("pending", NO_FILTERS)).toBe("status=pending");
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, risk: "low" })).toBe(true);
  });

  it("names the active filters in words", () => {
    expect(describeFilters({ q: "PO-1", agent: "bot", type: "", risk: "unspecified" })).toEqual([
      "matching “PO-1”",
      "from agent bot",
      "with no stated risk",
    ]);
    expect(describeFilters(NO_FILTERS)).toEqual([]);
  });

  it("matches a live pause as the server's search would: nested values, any case, not keys", () => {
    const match = (filters: Partial<typeof NO_FILTERS>) =>
      matchesFilters(order, { ...NO_FILTERS, ...filters });
    expect(match({ q: "po-88231" })).toBe(true);
    expect(match({ q: "12" })).toBe(true);
    expect(match({ q: "LAPTOPS" })).toBe(true);
    expect(match({ q: "sku" })).toBe(false);
    expect(match({ q: "po-88231", risk: "low" })).toBe(false);
    expect(match({ agent: "procurement-bot", type: "purchase_order", risk: "high" })).toBe(true);
    expect(match({ agent: "billing-agent" })).toBe(false);
  });
});
