import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type Action,
  type ApprovalResult,
  CountersignError,
  isCountersignError,
  type JwkSet,
  JwkSetSchema,
  type Pause,
  verifyDecision,
} from "@countersign/core";

/**
 * The public keys proofs are verified with. `pinned`: given by the operator
 * (a JWKS file, string or `COUNTERSIGN_JWKS`), the default and the only
 * trustworthy choice. `server`: fetched from the Countersign server being
 * verified, only after an explicit opt-in (`--trust-server-keys`), since a
 * compromised server or path could then sign its own approvals.
 */
export interface TrustedKeys {
  source: "pinned" | "server";
  keys(): Promise<JwkSet>;
  /** Only for `server` keys: fetch again (the server rotated its keys). */
  refresh?(): Promise<JwkSet>;
}

export function pinnedKeys(jwks: JwkSet): TrustedKeys {
  const keys = Promise.resolve(jwks);
  return { source: "pinned", keys: () => keys };
}

/** Keys fetched from the server, once, and once again when a proof names a key not seen yet. */
export function serverKeys(fetchKeys: () => Promise<JwkSet>): TrustedKeys {
  let cached: Promise<JwkSet> | undefined;
  const load = (fresh: boolean) => {
    if (!cached || fresh) {
      cached = fetchKeys();
      // A failed fetch is not kept: the next call asks again.
      cached.catch(() => {
        cached = undefined;
      });
    }
    return cached;
  };
  return { source: "server", keys: () => load(false), refresh: () => load(true) };
}

/** A JWKS given as JSON text (starts with `{`) or as a path to a file holding it. */
export async function readJwks(source: string, baseDir = process.cwd()): Promise<JwkSet> {
  const trimmed = source.trim();
  let text = trimmed;
  if (!trimmed.startsWith("{")) {
    try {
      text = await readFile(resolve(baseDir, trimmed), "utf8");
    } catch (error) {
      throw new CountersignError(
        "invalid_request",
        `Cannot read the pinned JWKS file ${trimmed}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CountersignError("invalid_request", "The pinned JWKS is not JSON");
  }
  const parsed = JwkSetSchema.safeParse(json);
  if (!parsed.success || parsed.data.keys.length === 0) {
    throw new CountersignError(
      "invalid_request",
      "The pinned JWKS needs a `keys` list of Ed25519 public keys (`countersign keys jwks` prints it)",
    );
  }
  return parsed.data;
}

/**
 * Verifies a decided pause against the action as the gateway asked for it.
 * Any doubt throws (fail closed); `approved` comes only from a proof that verifies.
 */
export async function verifyPause(
  pause: Pause,
  action: Action,
  trusted: TrustedKeys,
): Promise<ApprovalResult> {
  try {
    return await verifyDecision(pause, { keys: await trusted.keys(), action });
  } catch (error) {
    if (!trusted.refresh || !isCountersignError(error, "proof_unknown_key")) throw error;
    return verifyDecision(pause, { keys: await trusted.refresh(), action });
  }
}
