import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

describe("canonicalJson (RFC 8785)", () => {
  it("sorts keys by UTF-16 code units and drops white space", () => {
    // RFC 8785 §3.2.3 sorting example.
    const input = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew",
      "1": "One",
      "\ud83d\ude00": "Emoji",
      "\u0080": "Control",
      "\u00f6": "Latin",
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji","\ufb33":"Hebrew"}',
    );
  });

  it("serialises numbers the ECMAScript way", () => {
    // RFC 8785 Appendix B samples.
    expect(canonicalJson([1e30, 4.5, 0.002, 1e-7, -0, 333333333.3333333, 9007199254740992])).toBe(
      "[1e+30,4.5,0.002,1e-7,0,333333333.3333333,9007199254740992]",
    );
  });

  it("escapes strings minimally and keeps nesting", () => {
    expect(canonicalJson({ b: [true, null, { d: '\u000f\n"' }], a: "é" })).toBe(
      '{"a":"é","b":[true,null,{"d":"\\u000f\\n\\""}]}',
    );
  });

  it("refuses what JSON cannot say", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/number/);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(/number/);
    expect(() => canonicalJson("\ud800")).toThrow(/surrogate/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });

  it("skips undefined properties as JSON does", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
