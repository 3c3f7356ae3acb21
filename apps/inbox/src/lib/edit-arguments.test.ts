import { describe, expect, it } from "vitest";
import { changedArguments, parseEditedArguments } from "./edit-arguments.ts";

describe("editing arguments before approving", () => {
  it("accepts a JSON object and refuses anything else with a reason", () => {
    expect(parseEditedArguments('{"amount": 12000}')).toEqual({ ok: true, data: { amount: 12000 } });
    expect(parseEditedArguments('{"amount": ')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Not valid JSON/),
    });
    for (const text of ["[1]", "null", "42", '"text"']) {
      expect(parseEditedArguments(text)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/must be a JSON object/),
      });
    }
  });

  it("lists the fields that change, ignoring key order", () => {
    const before = { payee: "Acme", amount: 12450, meta: { a: 1, b: 2 } };
    expect(
      changedArguments(before, { meta: { b: 2, a: 1 }, amount: 12000, payee: "Acme", memo: "cap" }),
    ).toEqual([
      { key: "amount", before: "12450", after: "12000" },
      { key: "memo", before: "(none)", after: '"cap"' },
    ]);
    expect(changedArguments(before, { ...before })).toEqual([]);
  });
});
