import { describe, expect, it } from "vitest";
import { loadTestVectors } from "../testing/index.ts";
import { readProof } from "./read-proof.ts";

const approved = loadTestVectors().proofs.vectors.find((vector) => vector.name === "approved, HMAC only")!
  .proof as Record<string, unknown>;

function malformed(input: unknown): string {
  try {
    readProof(input);
    return "accepted";
  } catch (error) {
    expect((error as { code: string }).code).toBe("proof_malformed");
    return (error as Error).message;
  }
}

describe("readProof", () => {
  it("reads a proof from an object, its JSON text or its UTF-8 bytes, to the same value", () => {
    const text = JSON.stringify(approved);
    expect(readProof(approved)).toBe(approved);
    expect(readProof(text)).toEqual(approved);
    expect(readProof(new TextEncoder().encode(text))).toEqual(approved);
  });

  it("refuses bytes that are not UTF-8", () => {
    const bytes = new TextEncoder().encode(JSON.stringify(approved));
    bytes[5] = 0xff;
    expect(malformed(bytes)).toBe("Proof is not UTF-8");
  });

  it("names every wrong field", () => {
    expect(malformed({ ...approved, decision: "maybe", kid: "", signatures: [{ alg: "RS256" }] })).toBe(
      "Proof is malformed at: decision, kid, signatures.0.alg, signatures.0.kid, signatures.0.sig",
    );
  });

  it("reads a grant's approval only when it names the grant and who granted it", () => {
    const byGrant = {
      ...approved,
      human_response: false,
      decided_by: { kind: "grant", id: "grant:grt_1", grant_id: "grt_1", granted_by: "alice@acme.com" },
    };
    expect(readProof(byGrant)).toBe(byGrant);
    expect(malformed({ ...byGrant, decided_by: { kind: "grant", id: "grant:grt_1" } })).toBe(
      "Proof is malformed at: decided_by.grant_id, decided_by.granted_by",
    );
  });

  it("refuses a proof object holding what JSON cannot say", () => {
    expect(malformed({ ...approved, reason: Number.NaN })).toMatch(/reason/);
    expect(malformed({ ...approved, data: { at: new Date() } })).toMatch(/data\.at/);
  });
});
