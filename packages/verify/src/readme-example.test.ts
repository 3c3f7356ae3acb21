import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { loadTestVectors } from "./testing/index.ts";

// Runs the README's payment-service example, as written there, against the
// shared test vectors: the code users copy must do what the README says.

const packageDir = join(import.meta.dirname, "..");
const vectors = loadTestVectors().proofs.vectors;
const byName = (name: string) => vectors.find((vector) => vector.name === name)!;
let handlePayment: (request: Request) => Promise<Response>;
let directory: string;

beforeAll(async () => {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const example = readme.match(/```ts\n(import [^\n]*verifyProof[\s\S]*?)```/)?.[1];
  if (!example) throw new Error("README: the payment service example is missing");
  // Inside the package, so `@countersign/verify` resolves as it does for a user.
  directory = join(packageDir, "node_modules", ".cache", `readme-example-${process.pid}`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "payment-service.ts"), example);
  const approved = byName("approved, Ed25519 only");
  process.env.COUNTERSIGN_JWKS = JSON.stringify({ keys: approved.options.keys });
  ({ handlePayment } = await import(join(directory, "payment-service.ts")));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));
// The vectors' clock: their approvals are current then.
beforeEach(() => vi.useFakeTimers({ now: new Date(vectors[0]!.options.now), toFake: ["Date"] }));
afterEach(() => vi.useRealTimers());

function pay(name: string, proofText?: string) {
  const vector = byName(name);
  const text = proofText ?? vector.proof_json ?? JSON.stringify(vector.proof);
  const headers = new Headers({ "content-type": "application/json" });
  if (text !== "") headers.set("countersign-proof", Buffer.from(text, "utf8").toString("base64url"));
  return handlePayment(
    new Request("http://payments.test/pay", {
      method: "POST",
      headers,
      body: JSON.stringify({ pause_id: vector.options.pause_id, action: vector.options.action }),
    }),
  );
}

describe("the README's payment service", () => {
  it("pays what was approved, and the approver's edits over the request", async () => {
    const approved = await pay("approved, Ed25519 only");
    expect(approved.status).toBe(200);
    expect(await approved.json()).toEqual({
      paid: 12450.5,
      to: "Acme Corp — Zürich",
      idempotency_key: "pau_vector",
    });
    const edited = await pay("approved with edited data");
    expect(await edited.json()).toMatchObject({ paid: 10000 });
  });

  it("refuses an approval past its valid_until", async () => {
    vi.setSystemTime(new Date("2026-11-21T11:00:00.000Z"));
    expect(await (await pay("approved, Ed25519 only")).json()).toMatchObject({ code: "proof_expired" });
  });

  it("refuses no proof, a tampered proof, a proof for other arguments, and a proof with __proto__", async () => {
    expect(await (await pay("approved, Ed25519 only", "")).json()).toMatchObject({ code: "proof_missing" });
    for (const [name, code] of [
      ["tampered data, Ed25519", "proof_invalid_signature"],
      ["tampered decision, Ed25519", "proof_invalid_signature"],
      ["genuine proof for another action", "proof_digest_mismatch"],
      ["an unsigned __proto__ member", "proof_malformed"],
      ["a duplicate decision member", "proof_malformed"],
      ["rotation: an old kid is unknown once its public key is dropped", "proof_unknown_key"],
      ["rejected, when an approval is required", "proof_not_approved"],
    ]) {
      const response = await pay(name!);
      expect(response.status, name).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect((await response.json()).code, name).toBe(code);
    }
  });
});
