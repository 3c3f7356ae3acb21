import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { locate } from "../policy-file.ts";
import { UsageError } from "../usage-error.ts";
import { CONFIG_ENV, ConfigSchema } from "./config-schema.ts";

/**
 * Reads `countersign.yaml` (or JSON) and returns its settings as the
 * environment variables they stand for. A mistake is a usage error naming
 * the file, line, column and field: `countersign.yaml:4:7 smtp.from: …`.
 */
export async function loadConfigFile(file: string): Promise<Record<string, string>> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`--config: cannot read ${file}: ${(error as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const { line, col } = lineCounter.linePos(first!.pos[0]);
    throw new UsageError(`${file}:${line}:${col} ${first!.message.split("\n")[0]}`);
  }
  const parsed = ConfigSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const path = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
      const where = locate(document, lineCounter, path);
      const field = path.join(".");
      const position = where.line === null ? file : `${file}:${where.line}:${where.column}`;
      return `${position} ${field ? `${field}: ` : ""}${issue.message}`;
    });
    throw new UsageError(`the config file is not valid:\n${issues.join("\n")}`);
  }
  return toEnv(parsed.data as Record<string, unknown>, dirname(resolve(file)));
}

function toEnv(config: Record<string, unknown>, folder: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [path, { env: name, path: isPath }] of Object.entries(CONFIG_ENV)) {
    const value = path
      .split(".")
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
    if (value === undefined) continue;
    if (typeof value === "boolean") env[name] = value ? "1" : "0";
    else if (Array.isArray(value)) env[name] = value.join(",");
    else if (typeof value === "object") env[name] = JSON.stringify(value);
    else if (isPath && !String(value).trim().startsWith("{") && !/^[a-z]+:\/\//.test(String(value)))
      env[name] = resolve(folder, String(value));
    else env[name] = String(value);
  }
  return env;
}

/** The file's settings under the environment: a variable already set wins. */
export function applyConfig(settings: Record<string, string>, env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(settings)) env[name] ??= value;
}
