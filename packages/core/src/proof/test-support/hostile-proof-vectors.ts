import { MAX_JSON_DEPTH } from "@countersign/verify";
import type { ProofVector } from "@countersign/verify/testing";
import type { ActionData } from "../../protocol/action.ts";
import type { Proof } from "../../protocol/proof.ts";
import { bound, refused, VECTOR_ACTION, type VectorSigner, verifies } from "./vector-signer.ts";

/** `{"n": … {"leaf": true} …}` with `levels` objects. */
function nested(levels: number): ActionData {
  let value: ActionData = { leaf: true };
  for (let level = 1; level < levels; level++) value = { n: value };
  return value;
}

/** `text` with `insert` placed right after the first occurrence of `after`. */
function insertAfter(text: string, after: string, insert: string): string {
  const at = text.indexOf(after);
  if (at < 0) throw new Error(`"${after}" is not in the text`);
  return text.slice(0, at + after.length) + insert + text.slice(at + after.length);
}

/**
 * Bytes that parsers read differently, and spellings that must not matter.
 * Where the bytes matter, the proof is given as its exact text (`proof_json`).
 */
export async function hostileProofVectors(signer: VectorSigner): Promise<ProofVector[]> {
  const { secrets, jwks } = signer;
  const both = { secrets: [secrets.current], keys: [jwks.current] };
  const approved = await signer.sign(await signer.unsigned({ proof_id: "prf_vector_approved" }));
  const text = JSON.stringify(approved);
  const edits = { ...VECTOR_ACTION.data, amount: 10000 };
  const edited = await signer.sign(await signer.unsigned({ proof_id: "prf_vector_edited", data: edits }));

  // A signer that put a `__proto__` member into the signed content (JSON.parse keeps it as an own member).
  const withProto = await signer.unsigned({ proof_id: "prf_vector_signed_proto" });
  Object.defineProperty(withProto, "__proto__", {
    value: { decision: "approved" },
    enumerable: true,
    writable: true,
    configurable: true,
  });
  const signedProto = await signer.sign(withProto);
  const signedConstructor = await signer.sign(
    await signer.unsigned({
      proof_id: "prf_vector_constructor",
      data: { ...edits, constructor: { name: "x" } },
    }),
  );
  const signedPrototype = await signer.sign(
    await signer.unsigned({
      proof_id: "prf_vector_prototype",
      decided_by: { kind: "human", id: "alice@acme.example", prototype: "x" } as Proof["decided_by"],
    }),
  );
  const numericBehalf = await signer.sign(
    await signer.unsigned({
      proof_id: "prf_vector_numeric_behalf",
      decided_by: {
        kind: "human",
        id: "bob@acme.example",
        on_behalf_of: 7,
      } as unknown as Proof["decided_by"],
    }),
  );
  // The proof itself is level 1 and `data` level 2, so `levels` objects inside reach depth levels + 1.
  const deepest = await signer.sign(
    await signer.unsigned({ proof_id: "prf_vector_deep", data: nested(MAX_JSON_DEPTH - 1) }),
  );
  const tooDeep = await signer.sign(
    await signer.unsigned({ proof_id: "prf_vector_too_deep", data: nested(MAX_JSON_DEPTH) }),
  );
  const malformed = refused("proof_malformed");
  const vector = (name: string, description: string, proofJson: string, expect = malformed): ProofVector => ({
    name,
    description,
    proof_json: proofJson,
    options: bound(both),
    expect,
  });
  const swapped = Object.fromEntries(Object.entries(approved).reverse());

  return [
    vector(
      "an unsigned __proto__ member",
      "A __proto__ member added after signing. Parsers differ on it (one keeps it, one drops it): refused.",
      insertAfter(text, "{", '"__proto__":{"decision":"approved"},'),
    ),
    vector(
      "a signed __proto__ member",
      "The signature even covers a __proto__ member: still refused, whatever the signature says.",
      JSON.stringify(signedProto),
    ),
    vector("a constructor member in data", "Refused at any depth.", JSON.stringify(signedConstructor)),
    vector("a prototype member in decided_by", "Refused at any depth.", JSON.stringify(signedPrototype)),
    vector(
      "a duplicate decision member",
      'A "decision":"rejected" before the signed "decision":"approved". JSON.parse keeps the last, other parsers the first: refused.',
      insertAfter(text, "{", '"decision":"rejected",'),
    ),
    vector(
      "a duplicate member inside data",
      "Two amounts in the edited data.",
      insertAfter(JSON.stringify(edited), '"data":{', '"amount":1,'),
    ),
    vector(
      "a lone surrogate in a string",
      'reason "\\ud800": not Unicode text, cannot be canonicalised.',
      text.replace('"reason":null', '"reason":"\\ud800"'),
    ),
    vector(
      "a lone surrogate in a member name",
      "An extra member whose name is a lone low surrogate.",
      insertAfter(text, "{", '"\\udc00x":1,'),
    ),
    vector(
      `data nested to the depth limit (${MAX_JSON_DEPTH})`,
      "The deepest JSON every verifier must follow.",
      JSON.stringify(deepest),
      verifies(deepest, ["hmac", "ed25519"]),
    ),
    vector(
      `data nested one level past the limit (${MAX_JSON_DEPTH + 1})`,
      "Signed, but deeper than verifiers follow: refused, not a stack overflow.",
      JSON.stringify(tooDeep),
    ),
    vector(
      "10,000 nested arrays",
      "Hostile nesting in an unsigned proof: refused, not a crash.",
      `{"v":1,"data":${"[".repeat(10_000)}${"]".repeat(10_000)}}`,
    ),
    vector("not JSON", "Truncated text.", text.slice(0, -10)),
    vector("a JSON array", "Not an object.", "[]"),
    vector("JSON null", "Not an object.", "null"),
    vector("a JSON string", "A proof encoded twice.", JSON.stringify(text)),
    vector("a missing member", "No decision.", JSON.stringify({ ...approved, decision: undefined })),
    vector("an unknown decision", 'decision "maybe".', JSON.stringify({ ...approved, decision: "maybe" })),
    vector(
      "an unknown decider kind",
      'decided_by.kind "robot".',
      JSON.stringify({ ...approved, decided_by: { ...approved.decided_by, kind: "robot" } }),
    ),
    vector(
      "an on_behalf_of that is not a name",
      "decided_by.on_behalf_of, when present, is a non-empty string (refused even when signed).",
      JSON.stringify(numericBehalf),
    ),
    vector(
      "a time with an offset",
      "valid_until must be UTC with Z.",
      JSON.stringify({ ...approved, valid_until: "2026-11-21T11:14:00.000+01:00" }),
    ),
    vector(
      "an upper-case HMAC signature",
      "signature is sha256= and 64 lower-case hex digits.",
      JSON.stringify({
        ...approved,
        signature: approved.signature.toUpperCase().replace("SHA256=", "sha256="),
      }),
    ),
    vector(
      "members in reverse order",
      "Order is not signed: JCS sorts members.",
      JSON.stringify(swapped),
      verifies(approved, ["hmac", "ed25519"]),
    ),
    vector(
      "escaped spellings of the same strings",
      "pau\\u005fvector is pau_vector: values are signed, not spellings.",
      text.replace('"pau_vector"', '"pau\\u005fvector"').replace('"approved"', '"\\u0061pproved"'),
      verifies(approved, ["hmac", "ed25519"]),
    ),
    vector(
      "another spelling of a number",
      "10000 written as 1e4 and 1.0E+4 in the edited data.",
      JSON.stringify(edited)
        .replace('"amount":10000', '"amount":1e4')
        .replace('"quantity":3', '"quantity":3.0E0'),
      verifies(edited, ["hmac", "ed25519"]),
    ),
  ];
}
