import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { CountersignError } from "@countersign/core";
import { isNode, LineCounter, parseDocument } from "yaml";
import { type GatewayConfig, GatewayConfigSchema } from "./gateway-config-schema.ts";

/** A loaded config and the folder its relative paths (jwks, recording file, cwd) resolve against. */
export interface LoadedGatewayConfig {
  config: GatewayConfig;
  baseDir: string;
}

/**
 * Parses a gateway config from YAML or JSON text (JSON through the same YAML
 * 1.2 parser, so both get line numbers). A bad file throws `invalid_request`
 * whose message has one line per problem: `file:line:column field: message`.
 */
export function parseGatewayConfig(text: string, file = "gateway.yaml"): GatewayConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const name = basename(file);
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const position = lineCounter.linePos(error.pos[0]);
      return {
        path: "",
        message: error.message.split("\n")[0]!,
        where: `${name}:${position.line}:${position.col}`,
      };
    });
    throw configError(name, issues);
  }
  const result = GatewayConfigSchema.safeParse(document.toJS() ?? {});
  if (result.success) return result.data;
  throw configError(
    name,
    result.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
      where: locate(document, lineCounter, issue.path as (string | number)[], name),
    })),
  );
}

/** Validates a config given as a value (not a file); errors name the field. */
export function validateGatewayConfig(value: unknown, name = "gateway config"): GatewayConfig {
  const result = GatewayConfigSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw configError(
    name,
    result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message, where: name })),
  );
}

export async function loadGatewayConfig(file: string): Promise<LoadedGatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CountersignError(
      "invalid_request",
      `${file}: cannot read the gateway config: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { config: parseGatewayConfig(text, file), baseDir: dirname(resolve(file)) };
}

/** Expands `${NAME}` from the environment; a missing variable is an error, never an empty secret. */
export function expandEnv(value: string, env: NodeJS.ProcessEnv, field: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const found = env[name];
    if (found === undefined) {
      throw new CountersignError("invalid_request", `${field}: environment variable ${name} is not set`, {
        errors: [{ path: field, message: `environment variable ${name} is not set` }],
      });
    }
    return found;
  });
}

function configError(file: string, issues: { path: string; message: string; where: string }[]) {
  const lines = issues.map(
    (issue) => `${issue.where} ${issue.path ? `${issue.path}: ` : ""}${issue.message}`,
  );
  return new CountersignError("invalid_request", `Invalid gateway config ${file}:\n${lines.join("\n")}`, {
    errors: issues.map((issue) => ({ path: issue.path, message: issue.message })),
  });
}

/** The line of the deepest node along `path` that the file has (a missing field points at its parent). */
function locate(
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: (string | number)[],
  file: string,
): string {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return `${file}:${line}:${col}`;
    }
  }
  return file;
}
