import type { AnyCryptoBackend } from "../crypto/crypto-backend.ts";
import { CountersignError } from "../errors/countersign-error.ts";
import { canonicalJsonWithout } from "../json/canonical-json.ts";
import { checkJsonValue } from "../json/json-check.ts";
import { parseJsonText } from "../json/parse-json.ts";
import type { JwkSet, PublicJwk } from "../protocol/keys.ts";
import {
  RECEIPT_SIGNING_PREFIX,
  RECEIPT_VERSION,
  type Receipt,
  type UnsignedReceipt,
} from "../protocol/receipt.ts";
import { createSignatureChecker } from "./check-signatures.ts";
import type { KeyCaches } from "./key-caches.ts";

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HMAC_SIGNATURE = /^sha256=[0-9a-f]{64}$/;
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The text a receipt's signatures cover: the receipt prefix and the JCS of the receipt without its signatures. */
export function receiptSigningText(receipt: UnsignedReceipt | Receipt): string {
  return RECEIPT_SIGNING_PREFIX + canonicalJsonWithout(receipt, ["signature", "signatures"]);
}

export interface VerifyReceiptOptions {
  /** Pinned Ed25519 public keys (`GET /v1/keys`, saved with your config). */
  keys?: JwkSet | readonly PublicJwk[];
  /** Or the proof secret(s), for the HMAC `signature`; with `keys` too, both must hold. */
  secret?: string | readonly string[];
  /** The pause this receipt must be for. */
  pauseId?: string;
  /** The proof it must name. */
  proofId?: string;
}

export interface VerifiedReceipt {
  receipt: Receipt;
  verifiedWith: ("hmac" | "ed25519")[];
}

export type VerifyReceipt = (input: unknown, options: VerifyReceiptOptions) => Promise<VerifiedReceipt>;

/**
 * Verifies an execution receipt (JSON text, UTF-8 bytes or a parsed object)
 * offline. Failures throw a `CountersignError` with the proof codes:
 * `proof_malformed`, `proof_unsupported_version`, `proof_unknown_key`,
 * `proof_invalid_signature`, `proof_wrong_pause`, `proof_mismatch`.
 */
export function createVerifyReceipt(backend: AnyCryptoBackend, caches: KeyCaches): VerifyReceipt {
  const checkSignatures = createSignatureChecker(backend, caches);
  return async function verifyReceipt(input, options) {
    const receipt = readReceipt(input);
    const pauseId = receipt.pause_id;
    if (receipt.v !== RECEIPT_VERSION) {
      throw new CountersignError(
        "proof_unsupported_version",
        `Receipt version ${receipt.v} is not supported`,
        {
          pauseId,
        },
      );
    }
    const verifiedWith = await checkSignatures(receipt, options, receiptSigningText(receipt), "receipt");
    if (options.pauseId !== undefined && pauseId !== options.pauseId) {
      throw new CountersignError(
        "proof_wrong_pause",
        `Receipt is for pause ${pauseId}, not ${options.pauseId}`,
        {
          pauseId: options.pauseId,
        },
      );
    }
    if (options.proofId !== undefined && receipt.proof_id !== options.proofId) {
      throw new CountersignError(
        "proof_mismatch",
        `Receipt names proof ${receipt.proof_id}, not ${options.proofId}`,
        {
          pauseId,
        },
      );
    }
    return { receipt, verifiedWith };
  };
}

function malformed(message: string): CountersignError {
  return new CountersignError("proof_malformed", message);
}

/** Parses and shape-checks a receipt, strictly (the reader proofs use: no duplicate or hostile members). */
export function readReceipt(input: unknown): Receipt {
  let value = input;
  let text: string | undefined;
  if (typeof input === "string") text = input;
  else if (input instanceof Uint8Array) {
    try {
      text = decoder.decode(input);
    } catch {
      throw malformed("Receipt is not UTF-8");
    }
  }
  if (text !== undefined) {
    const parsed = parseJsonText(text);
    if (!parsed.ok)
      throw malformed(`Receipt is malformed at: ${parsed.path || "(receipt)"} (${parsed.message})`);
    value = parsed.value;
  } else {
    const check = checkJsonValue(value);
    if (!check.ok)
      throw malformed(`Receipt is malformed at: ${check.path || "(receipt)"} (${check.message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw malformed("Not an execution receipt");
  const receipt = value as Record<string, unknown>;
  const wrong: string[] = [];
  if (typeof receipt.v !== "number") wrong.push("v");
  for (const field of ["receipt_id", "pause_id", "proof_id", "kid", "claimed_at", "reported_at"]) {
    if (typeof receipt[field] !== "string" || receipt[field] === "") wrong.push(field);
  }
  if (typeof receipt.agent_id !== "string") wrong.push("agent_id");
  if (typeof receipt.action_digest !== "string" || !DIGEST.test(receipt.action_digest))
    wrong.push("action_digest");
  if (receipt.outcome !== "succeeded" && receipt.outcome !== "failed") wrong.push("outcome");
  if (
    receipt.result_digest !== null &&
    (typeof receipt.result_digest !== "string" || !DIGEST.test(receipt.result_digest))
  ) {
    wrong.push("result_digest");
  }
  if (receipt.error !== null && typeof receipt.error !== "string") wrong.push("error");
  const reporter = receipt.reported_by as Record<string, unknown> | null;
  if (
    typeof reporter !== "object" ||
    reporter === null ||
    (reporter.kind !== "agent" && reporter.kind !== "executor")
  ) {
    wrong.push("reported_by");
  }
  if (typeof receipt.signature !== "string" || !HMAC_SIGNATURE.test(receipt.signature))
    wrong.push("signature");
  if (
    !Array.isArray(receipt.signatures) ||
    !receipt.signatures.every(
      (signature) =>
        typeof signature === "object" &&
        signature !== null &&
        (signature as Record<string, unknown>).alg === "Ed25519" &&
        typeof (signature as Record<string, unknown>).kid === "string" &&
        typeof (signature as Record<string, unknown>).sig === "string",
    )
  ) {
    wrong.push("signatures");
  }
  if (wrong.length > 0) throw malformed(`Receipt is malformed at: ${wrong.join(", ")}`);
  return receipt as unknown as Receipt;
}
