import { readFileSync } from "node:fs";
import { readProof, type Proof as VerifyProof } from "@countersign/verify";
import {
  loadTestVectors,
  runProofVector,
  TEST_VECTOR_FILE_NAMES,
  TEST_VECTORS_DIRECTORY,
} from "@countersign/verify/testing";
import { describe, expect, expectTypeOf, it } from "vitest";
import { isCountersignError, type Proof, ProofSchema, verifyProof, verifyWebhook } from "../index.ts";
import { generateTestVectors } from "./test-support/generate-test-vectors.ts";
import { readVectorKeys, vectorFileText } from "./test-support/write-test-vectors.ts";

// The shared vectors (packages/verify/test-vectors) from the server's side: the
// signer still produces them byte for byte, and core's re-exported verifier
// gives the answers they state.
const vectors = loadTestVectors();

describe("the shared test vectors", () => {
  it("are what core's signers produce today (re-run write-test-vectors.ts after a deliberate change)", async () => {
    const generated = await generateTestVectors(readVectorKeys());
    for (const [part, name] of Object.entries(TEST_VECTOR_FILE_NAMES)) {
      const committed = readFileSync(new URL(name, TEST_VECTORS_DIRECTORY), "utf8");
      expect(vectorFileText(generated[part as keyof typeof generated]), name).toBe(committed);
    }
  });

  for (const vector of vectors.proofs.vectors) {
    it(`core's verifyProof: ${vector.name}`, async () => {
      expect(await runProofVector(verifyProof, vector)).toEqual(vector.expect);
    });
  }

  for (const vector of vectors.webhooks.vectors) {
    it(`core's verifyWebhook: ${vector.name}`, async () => {
      const outcome = await verifyWebhook(vector.body, vector.headers, vector.secret, {
        now: new Date(vector.now),
        ...(vector.tolerance_seconds !== undefined && { toleranceSeconds: vector.tolerance_seconds }),
      }).then(
        (event) => ({ valid: true, pauseId: event.data.pause.pause_id }),
        (error: unknown) => {
          if (!isCountersignError(error)) throw error;
          return { valid: false, code: error.code };
        },
      );
      expect(outcome).toEqual(
        vector.expect.valid
          ? { valid: true, pauseId: "pau_vector" }
          : { valid: false, code: vector.expect.code },
      );
    });
  }
});

describe("core's proof schema and @countersign/verify's proof reader", () => {
  it("have the same Proof type", () => {
    expectTypeOf<Proof>().toEqualTypeOf<VerifyProof>();
  });

  // Every field of a genuine proof set to each wrong kind of value, and removed.
  const proof = vectors.proofs.vectors.find((vector) => vector.name === "approved by policy")!.proof as Proof;
  const replacements: unknown[] = [
    undefined,
    null,
    0,
    1.5,
    "",
    "x",
    true,
    [],
    {},
    [{}],
    "2026-11-21T10:00:00Z",
  ];
  const variants: [string, Record<string, unknown>][] = [];
  for (const field of Object.keys(proof)) {
    for (const value of replacements)
      variants.push([`${field} = ${JSON.stringify(value)}`, { ...proof, [field]: value }]);
  }
  for (const field of ["kind", "id", "channel", "rule"]) {
    for (const value of replacements) {
      variants.push([
        `decided_by.${field} = ${JSON.stringify(value)}`,
        { ...proof, decided_by: { ...proof.decided_by, [field]: value } },
      ]);
    }
  }
  for (const field of ["alg", "kid", "sig"]) {
    for (const value of replacements) {
      variants.push([
        `signatures.0.${field} = ${JSON.stringify(value)}`,
        { ...proof, signatures: [{ ...proof.signatures[0], [field]: value }] },
      ]);
    }
  }

  it("accept and refuse the same shapes", () => {
    const disagreements = variants.filter(([, variant]) => {
      const zod = ProofSchema.safeParse(variant).success;
      let reader = true;
      try {
        readProof(variant);
      } catch (error) {
        if (!isCountersignError(error, "proof_malformed")) throw error;
        reader = false;
      }
      return zod !== reader;
    });
    expect(variants.length).toBeGreaterThan(200);
    expect(disagreements.map(([name]) => name)).toEqual([]);
  });
});
