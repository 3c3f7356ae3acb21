import { describe, expect, it } from "vitest";
import { type Condition, evaluateCondition, parseCondition } from "./condition.ts";

function condition(source: string): Condition {
  const parsed = parseCondition(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.condition;
}

function holds(source: string, data: Record<string, unknown>): boolean {
  return evaluateCondition(condition(source), data).holds;
}

describe("policy conditions on action.data", () => {
  it("compares numbers", () => {
    expect(holds("amount > 500", { amount: 501 })).toBe(true);
    expect(holds("amount > 500", { amount: 500 })).toBe(false);
    expect(holds("amount >= 500", { amount: 500 })).toBe(true);
    expect(holds("amount < 50.5", { amount: 50 })).toBe(true);
    expect(holds("amount <= -1", { amount: 0 })).toBe(false);
  });

  it("tests membership with quoted and bare list items", () => {
    expect(holds("currency in [USD, EUR]", { currency: "EUR" })).toBe(true);
    expect(holds('currency in ["USD", "EUR"]', { currency: "GBP" })).toBe(false);
    expect(holds("currency not in [USD, EUR]", { currency: "GBP" })).toBe(true);
    expect(holds("tier in [1, 2]", { tier: 2 })).toBe(true);
  });

  it("tests equality of strings, booleans and nested fields, with or without the data. prefix", () => {
    expect(holds('env == "prod"', { env: "prod" })).toBe(true);
    expect(holds("env == prod", { env: "staging" })).toBe(false);
    expect(holds("env != 'prod'", { env: "staging" })).toBe(true);
    expect(holds("dry_run == false", { dry_run: false })).toBe(true);
    expect(holds("customer.tier == gold", { customer: { tier: "gold" } })).toBe(true);
    expect(holds("data.amount > 10", { amount: 11 })).toBe(true);
    expect(holds('target matches "prod-*"', { target: "prod-eu-1" })).toBe(true);
    expect(holds("ticket exists", { ticket: "OPS-1" })).toBe(true);
    expect(holds("ticket exists", {})).toBe(false);
  });

  it("never fires on a missing field or a value of another type, negations included", () => {
    expect(holds("amount > 500", {})).toBe(false);
    expect(holds("amount <= 50", { amount: "20" })).toBe(false);
    expect(holds("amount > 500", { amount: "9999" })).toBe(false);
    expect(holds('env != "prod"', {})).toBe(false);
    expect(holds('env != "prod"', { env: 3 })).toBe(false);
    expect(holds("currency not in [USD]", {})).toBe(false);
    expect(holds("currency not in [USD]", { currency: 1 })).toBe(false);
    expect(holds("amount > 5", { amount: null })).toBe(false);
    expect(evaluateCondition(condition("amount > 5"), undefined).holds).toBe(false);
  });

  it("refuses conditions it cannot read, saying what is wrong", () => {
    const message = (source: string) => {
      const parsed = parseCondition(source);
      return parsed.ok ? null : parsed.message;
    };
    expect(message("amount = 500")).toContain('use "==" to compare');
    expect(message("amount > USD")).toContain("compares numbers");
    expect(message("currency in USD")).toContain("needs a list");
    expect(message("amount == [1]")).toContain("single value");
    expect(message("> 5")).toContain("field name");
    expect(message('env == "prod')).toContain("unterminated");
    expect(message("amount > 5 6")).toContain('unexpected "6"');
    expect(message("currency in [USD EUR]")).toContain('expected "," or "]"');
  });
});
