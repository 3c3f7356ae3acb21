import { describe, expect, it } from "vitest";
import { CountersignError } from "../errors/countersign-error.ts";
import { checkJsonValue, MAX_JSON_DEPTH } from "./json-check.ts";
import { parseJson, parseJsonText } from "./parse-json.ts";

function nested(levels: number): string {
  return `${"[".repeat(levels)}${"]".repeat(levels)}`;
}

describe("parseJson", () => {
  it("parses plain JSON, with escapes and colons inside strings", () => {
    expect(parseJson('{"a":"x:y\\":z","b":[1,{"c":null}],"d":"\\\\"}')).toEqual({
      a: 'x:y":z',
      b: [1, { c: null }],
      d: "\\",
    });
  });

  it("refuses a member name twice in one object, at any depth, but not in sibling objects", () => {
    expect(() => parseJson('{"a":1,"a":2}')).toThrow(/twice/);
    expect(() => parseJson('{"x":[{"a":1,"b":{"c":1,"c":1}}]}')).toThrow(/twice/);
    expect(parseJson('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("refuses __proto__, constructor and prototype members, naming where", () => {
    const error = (() => {
      try {
        parseJson('{"data":{"list":[{"__proto__":{"admin":true}}]}}', "request body");
      } catch (caught) {
        return caught as CountersignError;
      }
    })();
    expect(error).toBeInstanceOf(CountersignError);
    expect(error?.code).toBe("invalid_request");
    expect(error?.errors).toEqual([
      { path: "data.list.0.__proto__", message: 'a member named "__proto__" is refused' },
    ]);
    expect(error?.message).toContain("Invalid request body");
    expect(() => parseJson('{"constructor":1}')).toThrow(/constructor/);
    expect(() => parseJson('{"a":{"prototype":1}}')).toThrow(/prototype/);
  });

  it("refuses lone surrogates in strings and member names, and keeps pairs", () => {
    expect(() => parseJson('"\\ud800"')).toThrow(/lone surrogate/);
    expect(() => parseJson('{"\\udc00":1}')).toThrow(/lone surrogate/);
    expect(parseJson('"\\ud83d\\ude00"')).toBe("😀");
  });

  it(`follows nesting to ${MAX_JSON_DEPTH} levels, refuses deeper, and never overflows the stack`, () => {
    expect(parseJsonText(nested(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseJsonText(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ ok: false, syntax: false });
    expect(parseJsonText(nested(100_000))).toMatchObject({ ok: false });
    expect(parseJsonText(nested(MAX_JSON_DEPTH + 2), { maxDepth: MAX_JSON_DEPTH + 2 }).ok).toBe(true);
  });

  it("tells text that is not JSON from JSON that is refused", () => {
    expect(parseJsonText("{")).toMatchObject({ ok: false, syntax: true });
    expect(parseJsonText('{"a":1,"a":1}')).toMatchObject({ ok: false, syntax: false });
  });
});

describe("checkJsonValue", () => {
  it("accepts plain data and counts members, skipping undefined ones", () => {
    expect(checkJsonValue({ a: 1, b: { c: [true, null] }, d: undefined })).toEqual({ ok: true, members: 3 });
  });

  it("refuses what is not plain JSON data", () => {
    expect(checkJsonValue({ at: new Date() })).toMatchObject({ ok: false, path: "at" });
    expect(checkJsonValue([1, undefined])).toMatchObject({ ok: false, path: "1" });
    expect(checkJsonValue({ n: Number.NaN })).toMatchObject({ ok: false, message: "is not a finite number" });
    expect(checkJsonValue({ big: 1n })).toMatchObject({ ok: false, path: "big" });
    expect(checkJsonValue(new Map())).toMatchObject({ ok: false });
    expect(checkJsonValue(Object.create(null)).ok).toBe(true);
  });
});
