import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { ApprovalServerOptions } from "@countersign/core/server";
import type { OptionTable } from "../cli/cli-command.ts";
import { UsageError } from "../usage-error.ts";

/** Where audit checkpoints are signed and witnessed, outside the store (`serve` and `audit` take them). */
export const AUDIT_TRUST_OPTIONS = {
  "checkpoint-key": {
    type: "string",
    value: "FILE",
    description:
      "Ed25519 private JWK (or a file holding it) that signs audit checkpoints, kept outside the store (or COUNTERSIGN_CHECKPOINT_KEY)",
  },
  "audit-witness": {
    type: "string",
    value: "FILE",
    description:
      "append every checkpoint to this file, outside the data directory (or COUNTERSIGN_AUDIT_WITNESS)",
  },
  "audit-witness-url": {
    type: "string",
    value: "URL",
    description: "post every checkpoint to this URL (or COUNTERSIGN_AUDIT_WITNESS_URL)",
  },
} as const satisfies OptionTable;

type Values = {
  "checkpoint-key"?: string | undefined;
  "audit-witness"?: string | undefined;
  "audit-witness-url"?: string | undefined;
};

/**
 * `--checkpoint-key FILE` or `COUNTERSIGN_CHECKPOINT_KEY` (the JWK itself, or
 * a path to it): the Ed25519 key that signs checkpoints, never stored in the
 * database. `--audit-witness FILE` / `COUNTERSIGN_AUDIT_WITNESS` and
 * `--audit-witness-url URL` / `COUNTERSIGN_AUDIT_WITNESS_URL`: where every
 * checkpoint is appended. Neither may live in the data directory: whoever can
 * rewrite the database could rewrite them too.
 */
export function auditTrustFrom(
  values: Values,
  dataDir: string | null,
  env: NodeJS.ProcessEnv = process.env,
): ApprovalServerOptions["audit"] | undefined {
  const keySource = values["checkpoint-key"] ?? env.COUNTERSIGN_CHECKPOINT_KEY;
  const witnessFile = values["audit-witness"] ?? env.COUNTERSIGN_AUDIT_WITNESS;
  const witnessUrl = values["audit-witness-url"] ?? env.COUNTERSIGN_AUDIT_WITNESS_URL;
  if (!keySource && !witnessFile && !witnessUrl) return undefined;
  const checkpointKey = keySource ? readKey(keySource, dataDir) : undefined;
  if (witnessFile) outsideDataDir(witnessFile, dataDir, "--audit-witness");
  if (witnessUrl && !/^https?:\/\//.test(witnessUrl)) {
    throw new UsageError("--audit-witness-url must be an http:// or https:// URL");
  }
  return {
    ...(checkpointKey && { checkpointKey }),
    ...((witnessFile || witnessUrl) && {
      witness: { ...(witnessFile && { file: resolve(witnessFile) }), ...(witnessUrl && { url: witnessUrl }) },
    }),
  };
}

function readKey(source: string, dataDir: string | null) {
  let text = source.trim();
  if (!text.startsWith("{")) {
    outsideDataDir(text, dataDir, "--checkpoint-key");
    try {
      text = readFileSync(text, "utf8");
    } catch (error) {
      throw new UsageError(`--checkpoint-key: cannot read ${source}: ${(error as Error).message}`);
    }
  }
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new UsageError("--checkpoint-key: not a JSON Web Key");
  }
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.d !== "string" || typeof jwk.x !== "string") {
    throw new UsageError("--checkpoint-key: an Ed25519 private JWK is needed (kty OKP, crv Ed25519, d, x)");
  }
  return jwk as unknown as NonNullable<NonNullable<ApprovalServerOptions["audit"]>["checkpointKey"]>;
}

function outsideDataDir(path: string, dataDir: string | null, flag: string): void {
  if (dataDir === null) return;
  const inside = relative(resolve(dataDir), resolve(path));
  if (inside === "" || (!inside.startsWith("..") && !isAbsolute(inside))) {
    throw new UsageError(
      `${flag}: ${path} is inside the data directory ${dataDir}; keep it outside, where a rewrite of the database cannot reach it`,
    );
  }
}
