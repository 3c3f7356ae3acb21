import { utf8 } from "../encoding/encoding.ts";
import { canonicalJsonWithout } from "../json/canonical-json.ts";
import { PROOF_SIGNING_PREFIX, type Proof, type UnsignedProof } from "../protocol/proof.ts";

const SIGNATURE_MEMBERS = ["signature", "signatures"];

/** The text both signatures cover: the domain prefix and the JCS of the proof without its signatures. */
export function proofSigningText(proof: UnsignedProof | Proof): string {
  return PROOF_SIGNING_PREFIX + canonicalJsonWithout(proof, SIGNATURE_MEMBERS);
}

/** The exact bytes both signatures cover (UTF-8 of `proofSigningText`). */
export function proofSigningInput(proof: UnsignedProof | Proof): Uint8Array<ArrayBuffer> {
  return utf8(proofSigningText(proof));
}
