import { describe, expect, it } from "vitest";
import { idPattern, newId } from "./ids.ts";

describe("newId", () => {
  it("names its kind and matches the published pattern", () => {
    const id = newId("pause");
    expect(id).toMatch(/^pau_/);
    expect(id).toMatch(idPattern("pause"));
    expect(newId("auditEvent")).toMatch(idPattern("auditEvent"));
  });

  it("sorts by creation time, so new rows append to id-keyed indexes", () => {
    const earlier = newId("pause", Date.parse("2026-12-02T10:00:00.000Z"));
    const later = newId("pause", Date.parse("2026-12-02T10:00:00.001Z"));
    const muchLater = newId("pause", Date.parse("2031-01-01T00:00:00.000Z"));
    expect([muchLater, later, earlier].sort()).toEqual([earlier, later, muchLater]);
  });

  it("stays unique within one millisecond (80 random bits after the time)", () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newId("pause", now)));
    expect(ids.size).toBe(10_000);
    const prefixes = new Set([...ids].map((id) => id.slice(0, 14)));
    expect(prefixes.size).toBe(1);
  });
});
