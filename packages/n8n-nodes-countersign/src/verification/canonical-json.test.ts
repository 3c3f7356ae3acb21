import { canonicalJson as coreCanonicalJson } from "@countersign/core";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

// The bundled copy must produce byte-for-byte what the server signs.
const samples: [string, unknown][] = [
  ["nested objects with unsorted keys", { b: 1, a: { d: [3, 2, 1], c: "x" } }],
  ["keys that sort differently by code unit", { "\u00e9": 1, e: 2, "\ud83d\ude00": 3, Z: 4, a: 5 }],
  ["numbers JSON can say", [0, -0, 1e21, 1e-7, 12450.5, -3, 2 ** 53]],
  ["strings with escapes", ["line\nbreak", 'quote"', "tab\t", "\u2028", "\u0001"]],
  ["undefined members dropped, undefined array items as null", { a: undefined, b: [undefined, null] }],
  ["a date through toJSON", { at: new Date("2026-11-21T10:00:00.000Z") }],
];

describe("canonicalJson (bundled copy)", () => {
  for (const [name, value] of samples) {
    it(`matches @countersign/core for ${name}`, () => {
      expect(canonicalJson(value)).toBe(coreCanonicalJson(value));
    });
  }

  it("refuses what JSON cannot say, like core", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, "\ud800", 10n]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
      expect(() => coreCanonicalJson(bad)).toThrow(TypeError);
    }
  });
});
