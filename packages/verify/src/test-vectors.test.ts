import { describe, expect, it } from "vitest";
import * as nodeEntry from "./index.node.ts";
import * as webEntry from "./index.ts";
import { loadTestVectors, runProofVector, runWebhookVector } from "./testing/index.ts";

// The shared vectors (test-vectors/*.json, signed by core's real signer) against
// both entry points: the same answer on the same bytes, on either backend.
const vectors = loadTestVectors();
const entries = [
  ["node:crypto", nodeEntry],
  ["WebCrypto", webEntry],
] as const;

it("covers every kind of case the vectors promise", () => {
  const names = vectors.proofs.vectors.map((vector) => vector.name);
  expect(names.filter((name) => name.startsWith("tampered ")).length).toBeGreaterThanOrEqual(30);
  expect(names.some((name) => name.startsWith("rotation:"))).toBe(true);
  expect(names.some((name) => name.includes("__proto__"))).toBe(true);
  expect(vectors.webhooks.vectors.length).toBeGreaterThan(10);
});

for (const [label, entry] of entries) {
  describe(`@countersign/verify on ${label}`, () => {
    it(`binds the ${entry.VERIFIER_BACKEND} backend`, () => {
      expect(entry.VERIFIER_BACKEND).toBe(label === "WebCrypto" ? "webcrypto" : "node");
    });

    for (const vector of vectors.proofs.vectors) {
      it(`proof: ${vector.name}`, async () => {
        expect(await runProofVector(entry.verifyProof, vector)).toEqual(vector.expect);
      });
    }

    for (const vector of vectors.webhooks.vectors) {
      it(`webhook: ${vector.name}`, async () => {
        expect(await runWebhookVector(entry.verifyWebhookSignature, vector)).toEqual(vector.expect);
      });
    }

    it("computes every action digest", async () => {
      for (const vector of vectors.digests.vectors) {
        expect(await entry.actionDigest(entry.approvedAction(vector.action, vector.edited_data))).toBe(
          vector.digest,
        );
      }
    });
  });
}

describe("canonicalJson vectors", () => {
  for (const vector of vectors.canonicalJson.vectors) {
    it(vector.name, () => {
      const value = JSON.parse(vector.input_json);
      if (vector.canonical === null) expect(() => webEntry.canonicalJson(value)).toThrow(TypeError);
      else expect(webEntry.canonicalJson(value)).toBe(vector.canonical);
    });
  }
});
