/**
 * How deep a request body may nest (objects and arrays). Deeper bodies are a
 * 400. Kept well under the verifiers' own limit (`MAX_JSON_DEPTH` of
 * `@countersign/verify`), so a proof over an accepted action, wrapped in a
 * pause and a webhook envelope, still verifies everywhere.
 */
export const MAX_BODY_DEPTH = 64;

/** Longest `action.title`: one line an approver reads first. */
export const MAX_ACTION_TITLE = 200;
/** Longest `action.description`. */
export const MAX_ACTION_DESCRIPTION = 2_000;
/** Longest `action.body` (markdown preview). */
export const MAX_ACTION_BODY = 20_000;
/** Longest `Idempotency-Key` header the server accepts. */
export const MAX_IDEMPOTENCY_KEY = 255;
