/**
 * Every stable error code, with the HTTP status the server answers with.
 * Client-side codes (network, proof, webhook) have the status a server would
 * have used had the failure happened there; they never reach the wire.
 */
export const ERROR_STATUS = {
  // Request and auth
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  unsupported_media_type: 415,
  payload_too_large: 413,
  // State
  already_decided: 409,
  already_claimed: 409,
  already_approved: 409,
  not_approved: 409,
  proof_mismatch: 409,
  not_claimed: 409,
  already_reported: 409,
  idempotency_conflict: 409,
  delegation_loop: 409,
  // Server
  store_unavailable: 503,
  internal_error: 500,
  audit_inconsistent: 500,
  // Client side: transport
  network_error: 503,
  timeout: 504,
  server_error: 502,
  invalid_response: 502,
  // Client side: proof verification
  proof_malformed: 422,
  proof_unsupported_version: 422,
  proof_invalid_signature: 422,
  proof_unknown_key: 422,
  proof_wrong_pause: 422,
  proof_digest_mismatch: 422,
  proof_not_approved: 422,
  proof_expired: 422,
  proof_missing: 422,
  // Client side: webhooks
  webhook_invalid_signature: 401,
  webhook_timestamp_out_of_range: 401,
  webhook_malformed: 400,
  webhook_wrong_pause: 422,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLES: Record<ErrorCode, string> = {
  invalid_request: "Invalid request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  unsupported_media_type: "Unsupported media type",
  payload_too_large: "Payload too large",
  already_decided: "Already decided",
  already_claimed: "Already claimed",
  already_approved: "Already approved by this person",
  not_approved: "Not approved",
  proof_mismatch: "Proof does not match",
  not_claimed: "Not claimed",
  already_reported: "Execution already reported",
  idempotency_conflict: "Idempotency key reused with a different request",
  delegation_loop: "Delegation would run both ways",
  store_unavailable: "Store unavailable",
  internal_error: "Internal error",
  audit_inconsistent: "The audit log no longer matches a checkpoint it signed",
  network_error: "Countersign unreachable",
  timeout: "Timed out",
  server_error: "Countersign server error",
  invalid_response: "Invalid response from Countersign",
  proof_malformed: "Malformed proof",
  proof_unsupported_version: "Unsupported proof version",
  proof_invalid_signature: "Invalid proof signature",
  proof_unknown_key: "Unknown proof key",
  proof_wrong_pause: "Proof is for another pause",
  proof_digest_mismatch: "Proof is for another action",
  proof_not_approved: "Not approved",
  proof_expired: "Proof expired",
  proof_missing: "Decision carries no proof",
  webhook_invalid_signature: "Invalid webhook signature",
  webhook_timestamp_out_of_range: "Webhook timestamp out of range",
  webhook_malformed: "Malformed webhook event",
  webhook_wrong_pause: "Webhook is for another pause",
};
