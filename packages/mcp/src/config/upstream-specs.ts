import { resolve } from "node:path";
import { CountersignError } from "@countersign/core";
import type { UpstreamSpec, UpstreamTransportSpec } from "../gateway/upstream.ts";
import type { GatewayConfig } from "./gateway-config-schema.ts";
import { expandEnv } from "./load-gateway-config.ts";

/**
 * Splits a command line the way a shell would for plain words: whitespace
 * separates, single and double quotes group, a backslash escapes. No
 * variables, globs or pipes: the upstream is started without a shell.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let started = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < line.length; index++) {
    const character = line[index]!;
    if (quote) {
      if (character === quote) quote = null;
      else if (character === "\\" && quote === '"' && index + 1 < line.length) word += line[++index];
      else word += character;
    } else if (character === '"' || character === "'") {
      quote = character;
      started = true;
    } else if (character === "\\" && index + 1 < line.length) {
      word += line[++index];
      started = true;
    } else if (/\s/.test(character)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else {
      word += character;
      started = true;
    }
  }
  if (quote)
    throw new CountersignError("invalid_request", `Unclosed ${quote} in the upstream command: ${line}`);
  if (started) words.push(word);
  return words;
}

/** `fs=npx -y server` → name `fs`; a plain command has no name. */
function splitName(value: string): { name?: string; rest: string } {
  const match = /^([A-Za-z0-9-]+)=(?!=)(.*)$/s.exec(value.trim());
  return match ? { name: match[1]!, rest: match[2]! } : { rest: value };
}

export interface UpstreamFlags {
  /** `--upstream "[name=]<command …>"`, repeatable. */
  commands?: readonly string[];
  /** `--upstream-url [name=]<url>`, repeatable. */
  urls?: readonly string[];
}

/**
 * The upstreams from the config file and the command line, with their
 * prefixes: none when there is only one (unless the config sets one), the
 * mount name when there are several.
 */
export function upstreamSpecs(
  config: GatewayConfig,
  flags: UpstreamFlags,
  options: { env: NodeJS.ProcessEnv; baseDir: string },
): UpstreamSpec[] {
  const entries: { name: string; transport: UpstreamTransportSpec; prefix?: string }[] = [];
  for (const [name, upstream] of Object.entries(config.upstreams ?? {})) {
    const field = `upstreams.${name}`;
    if ("command" in upstream) {
      entries.push({
        name,
        transport: {
          command: upstream.command,
          args: upstream.args,
          ...(upstream.env && { env: expandRecord(upstream.env, options.env, `${field}.env`) }),
          ...(upstream.cwd && { cwd: resolve(options.baseDir, upstream.cwd) }),
        },
        ...(upstream.prefix !== undefined && { prefix: upstream.prefix }),
      });
    } else {
      entries.push({
        name,
        transport: {
          url: upstream.url,
          ...(upstream.headers && {
            headers: expandRecord(upstream.headers, options.env, `${field}.headers`),
          }),
        },
        ...(upstream.prefix !== undefined && { prefix: upstream.prefix }),
      });
    }
  }
  const unnamed = () => (entries.length === 0 ? "upstream" : `upstream-${entries.length + 1}`);
  for (const value of flags.commands ?? []) {
    const { name, rest } = splitName(value);
    const [command, ...args] = splitCommand(rest);
    if (!command)
      throw new CountersignError(
        "invalid_request",
        '--upstream needs a command, e.g. --upstream "npx -y @modelcontextprotocol/server-filesystem /srv"',
      );
    entries.push({ name: name ?? unnamed(), transport: { command, args } });
  }
  for (const value of flags.urls ?? []) {
    const { name, rest } = splitName(value);
    let url: URL;
    try {
      url = new URL(rest.trim());
    } catch {
      throw new CountersignError("invalid_request", `--upstream-url: not a URL: ${rest}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new CountersignError("invalid_request", `--upstream-url must be http(s): ${rest}`);
    }
    entries.push({ name: name ?? unnamed(), transport: { url: url.href } });
  }
  if (entries.length === 0) {
    throw new CountersignError(
      "invalid_request",
      'Name an upstream: --upstream "<command …>", --upstream-url <url>, or `upstreams` in the config',
    );
  }
  const several = entries.length > 1;
  return entries.map((entry) => ({
    name: entry.name,
    prefix: entry.prefix ?? (several ? entry.name : ""),
    transport: entry.transport,
  }));
}

function expandRecord(
  record: Record<string, string>,
  env: NodeJS.ProcessEnv,
  field: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, expandEnv(value, env, `${field}.${key}`)]),
  );
}
