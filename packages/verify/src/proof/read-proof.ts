import { CountersignError } from "../errors/countersign-error.ts";
import { checkJsonValue } from "../json/json-check.ts";
import { parseJsonText } from "../json/parse-json.ts";
import type { Proof } from "../protocol/proof.ts";

// The shape @countersign/core's ProofSchema (zod) accepts, checked without zod.
// core's proof-schema-parity test runs both on the same inputs.
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HMAC_SIGNATURE = /^sha256=[0-9a-f]{64}$/;
// zod's `z.iso.datetime()`: UTC ("Z"), seconds required, any fraction, real calendar dates.
const DATETIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z))$/;
const DECISIONS: readonly unknown[] = ["approved", "rejected", "expired"];
const DECIDER_KINDS: readonly unknown[] = ["human", "policy", "timeout", "agent", "grant"];

const decoder = new TextDecoder("utf-8", { fatal: true });

function malformed(message: string): CountersignError {
  return new CountersignError("proof_malformed", message);
}

/**
 * Reads a proof given as JSON text, UTF-8 bytes or a parsed object: parsed
 * once, checked as plain JSON (no duplicate or refused member names, no lone
 * surrogates, bounded depth) and checked for the shape a verifier relies on.
 * Every failure is `proof_malformed` naming the field.
 */
export function readProof(input: unknown): Proof {
  let value = input;
  let text: string | undefined;
  if (typeof input === "string") text = input;
  else if (input instanceof Uint8Array) {
    try {
      text = decoder.decode(input);
    } catch {
      throw malformed("Proof is not UTF-8");
    }
  }
  if (text !== undefined) {
    const parsed = parseJsonText(text);
    if (!parsed.ok) {
      if (parsed.syntax) throw malformed("Proof is not JSON");
      throw malformed(`Proof is malformed at: ${parsed.path || "(proof)"} (${parsed.message})`);
    }
    value = parsed.value;
  } else {
    const check = checkJsonValue(value);
    if (!check.ok) throw malformed(`Proof is malformed at: ${check.path || "(proof)"} (${check.message})`);
  }
  if (!isRecord(value)) throw malformed("Proof is malformed at: (proof)");
  const wrong = wrongFields(value);
  if (wrong.length > 0) throw malformed(`Proof is malformed at: ${wrong.join(", ")}`);
  return value as unknown as Proof;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

function wrongFields(proof: Record<string, unknown>): string[] {
  const wrong: string[] = [];
  if (typeof proof.v !== "number") wrong.push("v");
  if (!isText(proof.proof_id)) wrong.push("proof_id");
  if (!isText(proof.pause_id)) wrong.push("pause_id");
  if (typeof proof.agent_id !== "string") wrong.push("agent_id");
  if (typeof proof.action_digest !== "string" || !DIGEST.test(proof.action_digest)) {
    wrong.push("action_digest");
  }
  if (!DECISIONS.includes(proof.decision)) wrong.push("decision");
  if (typeof proof.human_response !== "boolean") wrong.push("human_response");
  wrongDecider(proof.decided_by, wrong);
  if (proof.reason !== null && typeof proof.reason !== "string") wrong.push("reason");
  if (proof.data !== null && !isRecord(proof.data)) wrong.push("data");
  for (const field of ["issued_at", "valid_until"]) {
    const at = proof[field];
    if (typeof at !== "string" || !DATETIME.test(at)) wrong.push(field);
  }
  if (!isText(proof.kid)) wrong.push("kid");
  if (typeof proof.signature !== "string" || !HMAC_SIGNATURE.test(proof.signature)) wrong.push("signature");
  wrongSignatures(proof.signatures, wrong);
  return wrong;
}

function wrongDecider(decider: unknown, wrong: string[]): void {
  if (!isRecord(decider)) {
    wrong.push("decided_by");
    return;
  }
  if (!DECIDER_KINDS.includes(decider.kind)) wrong.push("decided_by.kind");
  if (!isText(decider.id)) wrong.push("decided_by.id");
  if (decider.channel !== undefined && typeof decider.channel !== "string") wrong.push("decided_by.channel");
  if (decider.rule !== undefined && typeof decider.rule !== "string") wrong.push("decided_by.rule");
  // A delegate's decision names the approver they stood in for; older proofs simply lack it.
  if (decider.on_behalf_of !== undefined && !isText(decider.on_behalf_of))
    wrong.push("decided_by.on_behalf_of");
  if (decider.kind === "grant") {
    // A grant's approval names the grant and the person accountable for it.
    if (!isText(decider.grant_id)) wrong.push("decided_by.grant_id");
    if (!isText(decider.granted_by)) wrong.push("decided_by.granted_by");
  }
}

function wrongSignatures(signatures: unknown, wrong: string[]): void {
  if (!Array.isArray(signatures)) {
    wrong.push("signatures");
    return;
  }
  signatures.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) {
      wrong.push(`signatures.${index}`);
      return;
    }
    if (entry.alg !== "Ed25519") wrong.push(`signatures.${index}.alg`);
    if (!isText(entry.kid)) wrong.push(`signatures.${index}.kid`);
    if (!isText(entry.sig)) wrong.push(`signatures.${index}.sig`);
  });
}
