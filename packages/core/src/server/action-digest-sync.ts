import { createHash } from "node:crypto";
import { canonicalJson } from "../proof/canonical-json.ts";
import type { Action } from "../protocol/action.ts";

/**
 * The same digest as `actionDigest` (proof/action-digest.ts), computed with
 * node:crypto synchronously: on the server's hot path a WebCrypto call costs a
 * thread-pool round trip per pause.
 */
export function actionDigestSync(action: Action): string {
  return `sha256:${createHash("sha256").update(canonicalJson(action)).digest("hex")}`;
}
