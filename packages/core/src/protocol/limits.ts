/**
 * How deep a request body may nest (objects and arrays). Deeper bodies are a
 * 400. Kept well under the verifiers' own limit (`MAX_JSON_DEPTH` of
 * `@countersign/verify`), so a proof over an accepted action, wrapped in a
 * pause and a webhook envelope, still verifies everywhere.
 */
export const MAX_BODY_DEPTH = 64;
