import { describe, expect, it } from "vitest";
import { decodeProofHeader, encodeProofHeader, PROOF_HEADER, proofHeaders } from "./proof-header.ts";

describe("the Countersign-Proof header", () => {
  const proof = { v: 1, proof_id: "prf_1", reason: "Ünïcode ✓ and / + characters ??>>" };

  it("round-trips a proof's JSON through base64url, with no padding or +/ characters", () => {
    const value = encodeProofHeader(proof);
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = decodeProofHeader(value);
    expect(JSON.parse(new TextDecoder().decode(bytes!))).toEqual(proof);
    expect(proofHeaders(proof)).toEqual({ [PROOF_HEADER]: value });
    expect(encodeProofHeader(JSON.stringify(proof))).toBe(value);
  });

  it("refuses empty, non-base64 and oversized values", () => {
    expect(decodeProofHeader("")).toBeNull();
    expect(decodeProofHeader("not base64!")).toBeNull();
    expect(decodeProofHeader("A".repeat(64 * 1024 + 4))).toBeNull();
  });
});
