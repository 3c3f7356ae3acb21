// Offline proof verifications per second on one core, with the HMAC secret and
// with the Ed25519 public key, on @countersign/verify's node:crypto path and its
// WebCrypto path. Each figure stands beside its target (issue 16), the figure
// before @countersign/verify (core's zod + WebCrypto verifyProof, as issue 16
// measured it), and the bare node:crypto primitive over the same bytes,
// measured in this run (the ceiling). Rates are per CPU-second, so a machine
// shared with other work still gives one core's figure; wall-clock rates beside.
import { createHmac, createPublicKey, verify } from "node:crypto";
import {
  actionDigest,
  generateEd25519Jwk,
  loadSigningKeys,
  proofSigningInput,
  publicJwkOf,
  signProof,
} from "@countersign/core";
import * as nodePath from "@countersign/verify/node";
import * as webCryptoPath from "@countersign/verify/webcrypto";

const TARGET = { hmac: 50_000, ed25519: 10_000 };
// Issue 16, "proof verify, one core": core's verifyProof before this package.
const BEFORE = { hmac: 7_900, ed25519: 5_900 };

/**
 * Verifications per CPU-second of this process (every thread: WebCrypto works on
 * libuv's pool), i.e. what one core does, and per wall-clock second, which a
 * machine busy with other work lowers.
 */
async function rate(seconds, run) {
  for (let warm = 0; warm < 200; warm++) await run();
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    // Batches keep the clock out of the measured loop.
    for (let index = 0; index < 50; index++) await run();
    count += 50;
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    cpu: Math.round(count / ((used.user + used.system) / 1e6)),
    wall: Math.round(count / wall),
  };
}

export async function measureProofVerify({ seconds = 2 } = {}) {
  const secret = "bench-proof-secret-0123456789abcdef0123456789";
  const jwk = await generateEd25519Jwk();
  const keys = await loadSigningKeys({ secret, ed25519: jwk });
  const action = { type: "payment", data: { payee: "Acme Corp", amount: 12450 } };
  const now = new Date();
  const proof = await signProof(
    {
      v: 1,
      proof_id: "prf_bench",
      pause_id: "pau_bench",
      agent_id: "bench",
      action_digest: await actionDigest(action),
      decision: "approved",
      human_response: true,
      decided_by: { kind: "human", id: "alice@example.com", channel: "api" },
      reason: null,
      data: null,
      issued_at: now.toISOString(),
      valid_until: new Date(now.getTime() + 900_000).toISOString(),
    },
    keys,
  );
  const text = JSON.stringify(proof);
  const publicKeys = [await publicJwkOf(jwk)];
  const withSecret = { secret, pauseId: "pau_bench", action };
  const withKeys = { keys: publicKeys, pauseId: "pau_bench", action };

  const input = Buffer.from(proofSigningInput(proof));
  const mac = Buffer.from(proof.signature.slice(7), "hex");
  const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
  const signature = Buffer.from(proof.signatures[0].sig, "base64url");
  const bare = {
    hmac: () => createHmac("sha256", secret).update(input).digest().equals(mac),
    ed25519: () => verify(null, input, publicKey, signature),
  };

  const figure = async (kind, options) => {
    const measured = {
      node: await rate(seconds, () => nodePath.verifyProof(proof, options)),
      node_from_json_text: await rate(seconds, () => nodePath.verifyProof(text, options)),
      webcrypto: await rate(seconds, () => webCryptoPath.verifyProof(proof, options)),
      bare_node_crypto: await rate(seconds, bare[kind]),
    };
    const pick = (which) =>
      Object.fromEntries(Object.entries(measured).map(([name, value]) => [name, value[which]]));
    return { ...pick("cpu"), target: TARGET[kind], before: BEFORE[kind], wall_clock: pick("wall") };
  };
  return {
    what: "verifyProof of one proof object bound to its pause and action (node_from_json_text: from its JSON text)",
    unit: "verifications per CPU-second (one core); wall_clock: per elapsed second, lowered by other load",
    hmac: await figure("hmac", withSecret),
    ed25519: await figure("ed25519", withKeys),
  };
}

if (import.meta.main) console.log(JSON.stringify(await measureProofVerify(), null, 2));
