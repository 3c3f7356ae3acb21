import { describe, expect, it } from "vitest";
import { actionDigest } from "../proof/action-digest.ts";
import { actionDigestSync } from "./action-digest-sync.ts";

describe("actionDigestSync", () => {
  it("equals the WebCrypto digest the proofs are checked against", async () => {
    const actions = [
      { type: "payment", data: { payee: "Acme Corp", amount: 12450.5, lines: [{ sku: "é", qty: 2 }] } },
      { type: "deploy", title: "Deploy 🚀 to prod", risk: "critical" as const, body: "**now**" },
    ];
    for (const action of actions) expect(actionDigestSync(action)).toBe(await actionDigest(action));
  });
});
