import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { type AuditEvent, isCountersignError, JwkSetSchema } from "@countersign/core";
import {
  createApprovalServer,
  EVIDENCE_BUNDLE_TYPE,
  type Store,
  silentLogger,
  verifyAuditLog,
  verifyEvidenceBundle,
} from "@countersign/core/server";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";
import { openStoreFrom, STORE_OPTIONS } from "./store-options.ts";

const PAGE = 1_000;

/**
 * `audit export`, `audit checkpoint`, `audit bundle PAUSE_ID` read the
 * server's store; `audit verify FILE --jwks KEYS` works offline on an export
 * (JSON Lines) or an evidence bundle. Verify exits 0 when intact, 1 when
 * tampered with, 2 on a usage mistake.
 */
export async function runAudit(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    out: { type: "string" },
    checkpoint: { type: "string" },
    jwks: { type: "string" },
    ...STORE_OPTIONS,
  });
  const [action, argument] = positionals;
  switch (action) {
    case "verify":
      if (!argument) throw new UsageError("audit verify needs an export (JSON Lines) or an evidence bundle");
      if (!values.jwks) throw new UsageError("audit verify needs --jwks KEYS.json (GET /v1/keys)");
      return verify(argument, values.jwks, values.checkpoint);
    case "export":
      return withServer(values, (store, server) => exportLog(store, server, values.out, values.checkpoint));
    case "checkpoint":
      return withServer(values, async (_store, server) => {
        await output(`${JSON.stringify(await server.auditCheckpoint(), null, 2)}\n`, values.out);
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
      throw new UsageError("audit needs one of: export, checkpoint, bundle, verify");
  }
}

type Server = Awaited<ReturnType<typeof createApprovalServer>>;

/** The server (without background work) over the store: it holds the signing key the checkpoints need. */
async function withServer(
  values: Parameters<typeof openStoreFrom>[0],
  work: (store: Store, server: Server) => Promise<number>,
): Promise<number> {
  const store = await openStoreFrom(values);
  try {
    const server = await createApprovalServer({ store, log: silentLogger, background: false });
    try {
      return await work(store, server);
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
  process.stderr.write(`exported ${afterSeq} audit events (head ${checkpoint.head_hash})\n`);
  return 0;
}

async function verify(file: string, jwksFile: string, checkpointFile: string | undefined): Promise<number> {
  const keys = JwkSetSchema.safeParse(await readJson(jwksFile, "--jwks"));
  if (!keys.success) throw new UsageError(`--jwks ${jwksFile} is not a JWK set (GET /v1/keys)`);
  const text = await readText(file);
  const bundle = tryJson(text);
  if (isBundle(bundle)) {
    const result = await verifyEvidenceBundle(bundle, { keys: keys.data });
    process.stdout.write(`${JSON.stringify({ kind: "evidence_bundle", ...result })}\n`);
    return result.valid ? 0 : 1;
  }
  const checkpoint = checkpointFile ? await readJson(checkpointFile, "--checkpoint") : undefined;
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
  const result = await verifyAuditLog(events, {
    keys: keys.data,
    ...(checkpoint !== undefined && { checkpoint }),
  });
  process.stdout.write(`${JSON.stringify({ kind: "audit_log", ...result })}\n`);
  return result.valid ? 0 : 1;
}

function isBundle(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && (value as { type?: unknown }).type === EVIDENCE_BUNDLE_TYPE
  );
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
