import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import {
  AuditCheckpointSchema,
  type AuditEvent,
  generateEd25519Jwk,
  isCountersignError,
  JwkSetSchema,
  publicJwkOf,
} from "@countersign/core";
import {
  CONSISTENCY_PROOF_TYPE,
  createApprovalServer,
  EVIDENCE_BUNDLE_TYPE,
  type Store,
  silentLogger,
  verifyAuditLog,
  verifyConsistencyProof,
  verifyEvidenceBundle,
} from "@countersign/core/server";
import { type CliCommand, type OptionTable, pick } from "../cli/cli-command.ts";
import { dataDirFrom } from "../open-store.ts";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";
import { checkStoredLog } from "./audit-stored-log.ts";
import { AUDIT_TRUST_OPTIONS, auditTrustFrom } from "./audit-trust-options.ts";
import { openStoreFrom, STORE_OPTIONS } from "./store-options.ts";

const PAGE = 1_000;

/**
 * `audit export`, `audit checkpoint`, `audit bundle PAUSE_ID`, `audit prove
 * --from SAVED` read the server's store; `audit verify FILE --jwks KEYS
 * [--checkpoint SAVED]…` works offline on an export (JSON Lines), an evidence
 * bundle or a consistency proof; `audit keygen --out FILE` makes a checkpoint
 * key. Verify exits 0 when intact, 1 when tampered with, 2 on a usage mistake.
 */
const AUDIT_OPTIONS = {
  out: { type: "string", value: "FILE", description: "write here instead of standard output" },
  checkpoint: {
    type: "string",
    multiple: true,
    value: "CHECKPOINT.json",
    description: "a checkpoint saved earlier: the log must extend it",
  },
  from: {
    type: "string",
    value: "CHECKPOINT.json",
    description: "the saved checkpoint to prove the log extends",
  },
  jwks: { type: "string", value: "KEYS.json", description: "the pinned public keys (countersign keys jwks)" },
  ...STORE_OPTIONS,
  ...AUDIT_TRUST_OPTIONS,
} as const satisfies OptionTable;

const STORE = [...(Object.keys(STORE_OPTIONS) as (keyof typeof STORE_OPTIONS)[]), "checkpoint-key"] as const;

/** `countersign audit …`: the tamper-evident log, exported, checkpointed, proven and verified. */
export const auditCommand: CliCommand = {
  name: "audit",
  summary: "Export, checkpoint, prove and verify the tamper-evident audit log",
  subcommands: [
    {
      name: "export",
      summary: "The whole log as JSON Lines, with a signed checkpoint",
      options: pick(AUDIT_OPTIONS, "out", "checkpoint", ...STORE, "audit-witness", "audit-witness-url"),
      run: runAudit,
    },
    {
      name: "checkpoint",
      summary: "A signed checkpoint of the log now (save it outside the server)",
      options: pick(AUDIT_OPTIONS, "out", ...STORE, "audit-witness", "audit-witness-url"),
      run: runAudit,
    },
    {
      name: "bundle",
      summary: "The evidence for one pause: its events with inclusion proofs, its proof, a checkpoint",
      arguments: [{ name: "PAUSE_ID", description: "the pause", required: true }],
      options: pick(AUDIT_OPTIONS, "out", ...STORE),
      run: runAudit,
    },
    {
      name: "prove",
      summary: "A consistency proof that the log extends a saved checkpoint (exit 1 if it was rewritten)",
      options: pick(AUDIT_OPTIONS, "from", "out", ...STORE),
      run: runAudit,
    },
    {
      name: "verify",
      summary: "Verify an export, a bundle or a consistency proof offline (exit 0 intact, 1 tampered)",
      arguments: [{ name: "FILE", description: "LOG.jsonl, BUNDLE.json or PROOF.json", required: true }],
      options: pick(AUDIT_OPTIONS, "jwks", "checkpoint"),
      run: runAudit,
    },
    {
      name: "keygen",
      summary: "Make an Ed25519 checkpoint key (keep it outside the data directory)",
      options: pick(AUDIT_OPTIONS, "out"),
      run: runAudit,
    },
  ],
};

export async function runAudit(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, AUDIT_OPTIONS);
  const [action, argument] = positionals;
  switch (action) {
    case "verify":
      if (!argument)
        throw new UsageError(
          "audit verify needs an export (JSON Lines), an evidence bundle or a consistency proof",
        );
      if (!values.jwks) throw new UsageError("audit verify needs --jwks KEYS.json (the pinned public keys)");
      return verify(argument, values.jwks, values.checkpoint ?? []);
    case "keygen":
      return keygen(values.out);
    case "export":
      return withServer(values, (store, server) =>
        exportLog(store, server, values.out, values.checkpoint?.[0]),
      );
    case "checkpoint":
      return withServer(values, async (store, server) => {
        // Re-derive the tree from the events themselves before signing: a rewritten event is refused here.
        const stored = await checkStoredLog(store);
        if (stored) return refuse(stored);
        await output(`${JSON.stringify(await server.auditCheckpoint(), null, 2)}\n`, values.out);
        return 0;
      });
    case "prove":
      if (!values.from) throw new UsageError("audit prove needs --from SAVED_CHECKPOINT.json");
      return withServer(values, async (_store, server) => {
        const saved = AuditCheckpointSchema.safeParse(await readJson(values.from!, "--from"));
        if (!saved.success || saved.data.v !== 2) throw new UsageError("--from: a v2 checkpoint is needed");
        const proof = await server.auditConsistency(saved.data.size);
        await output(`${JSON.stringify(proof, null, 2)}\n`, values.out);
        if (proof.from.root_hash !== saved.data.root_hash) {
          return refuse(
            `The log's first ${saved.data.size} events no longer have the root of the saved checkpoint of ${saved.data.at}: the log was rewritten`,
          );
        }
        return 0;
      });
    case "bundle":
      if (!argument) throw new UsageError("audit bundle needs a pause id");
      return withServer(values, async (_store, server) => {
        try {
          await output(`${JSON.stringify(await server.evidenceBundle(argument), null, 2)}\n`, values.out);
          return 0;
        } catch (error) {
          if (!isCountersignError(error, "not_found")) throw error;
          process.stderr.write(`${error.message}\n`);
          return 1;
        }
      });
    default:
      throw new UsageError("audit needs one of: export, checkpoint, bundle, prove, verify, keygen");
  }
}

type Server = Awaited<ReturnType<typeof createApprovalServer>>;
type Values = Parameters<typeof openStoreFrom>[0] & Parameters<typeof auditTrustFrom>[0];

function refuse(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

/** The server (without background work) over the store, with the checkpoint key and witness given. */
async function withServer(
  values: Values,
  work: (store: Store, server: Server) => Promise<number>,
): Promise<number> {
  const audit = auditTrustFrom(values, values["database-url"] ? null : dataDirFrom(values["data-dir"]));
  const store = await openStoreFrom(values);
  try {
    let server: Server;
    try {
      server = await createApprovalServer({
        store,
        log: silentLogger,
        background: false,
        ...(audit && { audit }),
      });
    } catch (error) {
      if (isCountersignError(error)) return refuse(error.message);
      throw error;
    }
    try {
      return await work(store, server);
    } catch (error) {
      // A refusal (no key, a rewritten log, a bad --from) is an answer, not a crash; an outage is thrown.
      if (isCountersignError(error) && error.code !== "store_unavailable") return refuse(error.message);
      throw error;
    } finally {
      await server.close();
    }
  } finally {
    await store.close();
  }
}

/** Writes the log up to a checkpoint taken first, so the checkpoint covers exactly what was exported. */
async function exportLog(
  store: Store,
  server: Server,
  out: string | undefined,
  checkpointFile: string | undefined,
) {
  const checkpoint = await server.auditCheckpoint();
  const stream = out ? createWriteStream(out) : process.stdout;
  let afterSeq = 0;
  while (afterSeq < checkpoint.size) {
    const page = await store.listAudit({ afterSeq, limit: PAGE });
    if (page.length === 0) break;
    for (const event of page) {
      if (event.seq > checkpoint.size) break;
      if (!stream.write(`${JSON.stringify(event)}\n`)) await once(stream, "drain");
      afterSeq = event.seq;
    }
  }
  if (out) {
    (stream as ReturnType<typeof createWriteStream>).end();
    await once(stream, "finish");
  }
  if (checkpointFile) await writeFile(checkpointFile, `${JSON.stringify(checkpoint, null, 2)}\n`);
  process.stderr.write(`exported ${afterSeq} audit events (root ${checkpoint.root_hash})\n`);
  return 0;
}

/** A checkpoint signing key for `--checkpoint-key`: the private JWK to `--out` (0600), the public one to stdout. */
async function keygen(out: string | undefined): Promise<number> {
  if (!out) throw new UsageError("audit keygen needs --out FILE for the private key");
  const jwk = await generateEd25519Jwk();
  await writeFile(out, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: "wx" });
  process.stdout.write(`${JSON.stringify({ keys: [await publicJwkOf(jwk)] }, null, 2)}\n`);
  return 0;
}

async function verify(file: string, jwksFile: string, checkpointFiles: readonly string[]): Promise<number> {
  const keys = JwkSetSchema.safeParse(await readJson(jwksFile, "--jwks"));
  if (!keys.success) throw new UsageError(`--jwks ${jwksFile} is not a JWK set`);
  const checkpoints = await Promise.all(checkpointFiles.map((path) => readJson(path, "--checkpoint")));
  const text = await readText(file);
  const document = tryJson(text);
  const type =
    typeof document === "object" && document !== null ? (document as { type?: unknown }).type : undefined;
  if (type === EVIDENCE_BUNDLE_TYPE) {
    const result = await verifyEvidenceBundle(document, { keys: keys.data });
    process.stdout.write(`${JSON.stringify({ kind: "evidence_bundle", ...result })}\n`);
    return result.valid ? 0 : 1;
  }
  if (type === CONSISTENCY_PROOF_TYPE) return verifyConsistencyDocument(document, keys.data, checkpoints);
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const events: unknown[] = [];
  for (const [index, line] of lines.entries()) {
    const event = tryJson(line);
    if (event === undefined) {
      const problem = { kind: "malformed", seq: null, line: index + 1, message: "Not JSON" };
      process.stdout.write(`${JSON.stringify({ kind: "audit_log", valid: false, problem })}\n`);
      return 1;
    }
    events.push(event as AuditEvent);
  }
  // Every saved checkpoint must still match: one that no longer does shows a rewrite or a truncation.
  let result = await verifyAuditLog(events, { keys: keys.data });
  for (const checkpoint of checkpoints) {
    if (!result.valid) break;
    result = await verifyAuditLog(events, { keys: keys.data, checkpoint });
  }
  process.stdout.write(`${JSON.stringify({ kind: "audit_log", ...result })}\n`);
  return result.valid ? 0 : 1;
}

/** A consistency proof: both checkpoints signed, the proof between them, and each saved checkpoint one of the two. */
async function verifyConsistencyDocument(
  document: unknown,
  keys: Parameters<typeof verifyConsistencyProof>[1]["keys"],
  saved: readonly unknown[],
): Promise<number> {
  const result = await verifyConsistencyProof(document, { keys });
  let outcome: Record<string, unknown> = { ...result };
  if (result.valid) {
    for (const input of saved) {
      const checkpoint = AuditCheckpointSchema.safeParse(input);
      const matches =
        checkpoint.success &&
        checkpoint.data.v === 2 &&
        [result.from, result.to].some(
          (end) =>
            end.size === checkpoint.data.size && end.root_hash === (checkpoint.data as typeof end).root_hash,
        );
      if (!matches) {
        outcome = {
          valid: false,
          problem: {
            kind: "checkpoint_mismatch",
            message:
              "A saved checkpoint is neither end of the proof: the log it signed is not the log proven here",
          },
        };
        break;
      }
    }
  }
  process.stdout.write(`${JSON.stringify({ kind: "consistency_proof", ...outcome })}\n`);
  return outcome.valid === true ? 0 : 1;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : error}`);
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  const value = tryJson(await readText(file));
  if (value === undefined) throw new UsageError(`${what}: ${file} is not JSON`);
  return value;
}

async function output(text: string, out: string | undefined): Promise<void> {
  if (out) await writeFile(out, text);
  else process.stdout.write(text);
}
