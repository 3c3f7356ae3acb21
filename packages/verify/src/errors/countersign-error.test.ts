import { describe, expect, it } from "vitest";
import { CountersignError, isCountersignError } from "./countersign-error.ts";
import { ERROR_STATUS, ERROR_TITLES } from "./error-codes.ts";

describe("CountersignError", () => {
  it("carries a stable code, its status and the ids to debug", () => {
    const error = new CountersignError("proof_expired", "late", { pauseId: "pau_1" });
    expect(error).toMatchObject({
      name: "CountersignError",
      code: "proof_expired",
      status: 422,
      pauseId: "pau_1",
    });
    expect(new CountersignError("forbidden", "no", { status: 404 }).status).toBe(404);
  });

  it("is recognised by isCountersignError, with or without a code", () => {
    const error = new CountersignError("proof_expired", "late");
    expect(isCountersignError(error)).toBe(true);
    expect(isCountersignError(error, "proof_expired")).toBe(true);
    expect(isCountersignError(error, "proof_malformed")).toBe(false);
    expect(isCountersignError(new Error("x"))).toBe(false);
    expect(isCountersignError({ code: "proof_expired" })).toBe(false);
  });

  it("is recognised across copies of this module (a bundled node, a second install)", () => {
    // What another copy's error looks like: another class, the same registry marker.
    class OtherCopy extends Error {
      code = "proof_expired";
    }
    const foreign = new OtherCopy("late");
    Object.defineProperty(foreign, Symbol.for("countersign.error"), { value: true });
    expect(isCountersignError(foreign, "proof_expired")).toBe(true);
  });

  it("has a title for every code", () => {
    expect(Object.keys(ERROR_TITLES).sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  });
});
