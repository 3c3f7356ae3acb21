import { describe, expect, it } from "vitest";
import { neutralize, safeText } from "./card-text.ts";

describe("neutralize", () => {
  it("swaps the characters Adaptive Card markdown acts on for look-alikes", () => {
    expect(neutralize("[Approve](https://evil.example)")).toBe(
      "\uFF3BApprove\uFF3D(https:\u200B//evil.example)",
    );
    expect(neutralize("<at>CFO</at>")).toBe("\u2039at\u203ACFO\u2039/at\u203A");
    expect(neutralize("**bold** _it_ ~~gone~~ `code`")).toBe(
      "\u2217\u2217bold\u2217\u2217 \uFF3Fit\uFF3F \u223C\u223Cgone\u223C\u223C \u02CBcode\u02CB",
    );
  });

  it("keeps template functions, autolinks and direction overrides from acting", () => {
    expect(neutralize("{{DATE(2020-01-01T00:00:00Z)}}")).toBe("{\u200B{DATE(2020-01-01T00:00:00Z)}}");
    expect(neutralize("www.evil.example and WWW.x.org")).toBe("www\u200B.evil.example and WWW\u200B.x.org");
    expect(neutralize("pay \u202Eevil\u202C now \u2066x\u2069")).toBe("pay evil now x");
  });

  it("leaves ordinary text alone", () => {
    expect(neutralize("Pay Acme Corp $12,450 (INV-2291) - 50% now, rest #later!")).toBe(
      "Pay Acme Corp $12,450 (INV-2291) - 50% now, rest #later!",
    );
  });
});

describe("safeText", () => {
  it("cuts before it neutralises, so a cut never splits a replacement", () => {
    expect(safeText("abcdef", 4)).toBe("abc\u2026");
    expect(safeText("ab[cd", 3)).toBe("ab\u2026");
    expect(safeText("a{{b", 10)).toBe("a{\u200B{b");
  });
});
