import { sha256Hex } from "@countersign/verify";
import { canonicalJson } from "./canonical-json.ts";

/**
 * `sha256:<hex>` of the RFC 8785 canonical JSON of what an action returned:
 * the `result_digest` of an execution receipt. It commits to the result
 * without sending it; whoever holds the result can recompute and compare.
 */
export async function resultDigest(result: unknown): Promise<string> {
  return `sha256:${await sha256Hex(canonicalJson(result))}`;
}
