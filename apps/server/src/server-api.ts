import type { OptionTable } from "./cli/cli-command.ts";
import { UsageError } from "./usage-error.ts";

export const SERVER_API_OPTIONS = {
  url: {
    type: "string",
    value: "URL",
    description: "the running server (default COUNTERSIGN_URL, else http://127.0.0.1:8787)",
  },
  key: { type: "string", value: "KEY", description: "an API key (default COUNTERSIGN_API_KEY)" },
} as const satisfies OptionTable;

export interface ServerApi {
  /** One API call; a refusal is written to stderr (status, code, detail, field errors) and gives `null`. */
  request(method: string, path: string, body?: unknown): Promise<Record<string, unknown> | null>;
}

/**
 * Commands that act through a running server (grants, insights) rather than
 * on its store, so the server's rules apply: `--url` (or COUNTERSIGN_URL,
 * default http://127.0.0.1:8787) and `--key` (or COUNTERSIGN_API_KEY).
 */
export function serverApi(values: { url?: string | undefined; key?: string | undefined }): ServerApi {
  const base = (values.url ?? process.env.COUNTERSIGN_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
  const apiKey = values.key ?? process.env.COUNTERSIGN_API_KEY;
  if (!apiKey) throw new UsageError("needs an API key: --key KEY or COUNTERSIGN_API_KEY");
  return {
    async request(method, path, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body !== undefined && { "content-type": "application/json" }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { detail: text };
      }
      if (response.ok) return parsed;
      process.stderr.write(
        `${response.status} ${String(parsed.code ?? "")}: ${String(parsed.detail ?? text)}\n`,
      );
      for (const error of Array.isArray(parsed.errors) ? parsed.errors : []) {
        const { path: field, message } = error as { path?: unknown; message?: unknown };
        process.stderr.write(`  ${String(field)}: ${String(message)}\n`);
      }
      return null;
    },
  };
}
