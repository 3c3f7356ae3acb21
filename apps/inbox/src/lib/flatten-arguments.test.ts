import { describe, expect, it } from "vitest";
import { flattenArguments } from "./flatten-arguments.ts";

describe("flattenArguments", () => {
  it("lists every leaf with its path, in order", () => {
    expect(
      flattenArguments({
        order: "PO-1",
        lines: [
          { sku: "A", qty: 2 },
          { sku: "B", qty: 1.5 },
        ],
        note: null,
        approved: false,
        tags: [],
        extra: {},
      }),
    ).toEqual([
      { path: "order", value: "PO-1" },
      { path: "lines[0].sku", value: "A" },
      { path: "lines[0].qty", value: "2" },
      { path: "lines[1].sku", value: "B" },
      { path: "lines[1].qty", value: "1.5" },
      { path: "note", value: "null" },
      { path: "approved", value: "false" },
      { path: "tags", value: "[]" },
      { path: "extra", value: "{}" },
    ]);
  });

  it("counts a 200-line order as its fields", () => {
    const lines = Array.from({ length: 200 }, (_, index) => ({ sku: `SKU-${index}`, qty: index }));
    expect(flattenArguments({ po: "PO-9", lines })).toHaveLength(401);
  });
});
