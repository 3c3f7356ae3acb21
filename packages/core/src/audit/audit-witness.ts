import { open, readFile } from "node:fs/promises";
import { type AuditCheckpointV2, AuditCheckpointV2Schema } from "../protocol/audit-checkpoint.ts";

/**
 * Where checkpoints go besides the log's own database, so that someone who
 * can rewrite the database cannot also rewrite what was witnessed: an
 * append-only JSON Lines file (keep it outside the data directory, ideally on
 * another machine's mount or with `chattr +a`) and/or a webhook.
 */
export interface AuditWitnessOptions {
  /** Path of a JSON Lines file; each checkpoint is appended (O_APPEND) and fsynced. */
  file?: string;
  /** URL that receives each checkpoint as `POST` JSON `{type: "countersign.checkpoint", checkpoint}`. */
  url?: string;
  /** Time limit for the webhook, in ms. Default 5000. */
  timeoutMs?: number;
}

export interface AuditWitness {
  append(checkpoint: AuditCheckpointV2): Promise<void>;
  /** The newest v2 checkpoint in the witness file, or `null` when there is none (or no file). */
  latest(): Promise<AuditCheckpointV2 | null>;
}

export function createAuditWitness(options: AuditWitnessOptions): AuditWitness {
  return {
    async append(checkpoint) {
      const line = `${JSON.stringify(checkpoint)}\n`;
      if (options.file) {
        const handle = await open(options.file, "a", 0o600);
        try {
          await handle.appendFile(line);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      if (options.url) {
        const response = await fetch(options.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ type: "countersign.checkpoint", checkpoint }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
        await response.body?.cancel();
        if (!response.ok)
          throw new Error(`the checkpoint witness ${options.url} answered ${response.status}`);
      }
    },
    async latest() {
      if (!options.file) return null;
      let text: string;
      try {
        text = await readFile(options.file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
      return latestCheckpoint(text);
    },
  };
}

/** The last well-formed v2 checkpoint of a witness file's text. */
export function latestCheckpoint(text: string): AuditCheckpointV2 | null {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  for (let index = lines.length - 1; index >= 0; index--) {
    try {
      const parsed = AuditCheckpointV2Schema.safeParse(JSON.parse(lines[index]!));
      if (parsed.success) return parsed.data;
    } catch {
      // a torn last line (a crash mid-append) is skipped, not trusted
    }
  }
  return null;
}
