import { expect, test } from "vitest";
import { parseToolArguments } from "./parse-tool-arguments.ts";

test("only a JSON object counts as tool arguments", () => {
  expect(parseToolArguments('{"a":1}')).toEqual({ a: 1 });
  expect(parseToolArguments("")).toEqual({});
  expect(parseToolArguments("[1]")).toBeNull();
  expect(parseToolArguments("{not json")).toBeNull();
  expect(parseToolArguments(undefined)).toBeNull();
});
