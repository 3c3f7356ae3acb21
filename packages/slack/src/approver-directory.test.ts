import { describe, expect, it } from "vitest";
import { resolveApprover } from "./approver-directory.ts";

describe("resolveApprover", () => {
  it("maps a Slack user id through a table, and nobody else", async () => {
    const table = { U024BE7LH: "alice@acme.com" };
    expect(await resolveApprover(table, "U024BE7LH")).toBe("alice@acme.com");
    expect(await resolveApprover(table, "U0STRANGER")).toBeNull();
  });

  it("never maps inherited object keys", async () => {
    for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(await resolveApprover({}, key)).toBeNull();
    }
  });

  it("asks a lookup function, which may be async, and treats blank or missing as unmapped", async () => {
    expect(await resolveApprover(async (id) => (id === "U1" ? "bob@acme.com" : null), "U1")).toBe(
      "bob@acme.com",
    );
    expect(await resolveApprover(async () => null, "U1")).toBeNull();
    expect(await resolveApprover(() => undefined, "U1")).toBeNull();
    expect(await resolveApprover(() => "  ", "U1")).toBeNull();
    expect(await resolveApprover({ U1: "" }, "U1")).toBeNull();
  });
});
