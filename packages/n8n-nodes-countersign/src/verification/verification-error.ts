/**
 * Why a webhook or proof was refused. The codes are the ones @countersign/core
 * uses, so a log line reads the same wherever the check ran. (The node cannot
 * import core's `CountersignError`: n8n community nodes have no runtime dependencies.)
 */
export type VerificationCode =
  | "webhook_invalid_signature"
  | "webhook_timestamp_out_of_range"
  | "webhook_malformed"
  | "webhook_wrong_pause"
  | "proof_missing"
  | "proof_malformed"
  | "proof_unsupported_version"
  | "proof_invalid_signature"
  | "proof_unknown_key"
  | "proof_wrong_pause"
  | "proof_digest_mismatch";

export class VerificationError extends Error {
  override readonly name = "VerificationError";
  readonly code: VerificationCode;

  constructor(code: VerificationCode, message: string) {
    super(message);
    this.code = code;
  }
}
