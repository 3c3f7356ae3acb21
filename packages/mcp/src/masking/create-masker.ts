import { globToRegExp } from "@countersign/core/server";
import type { MaskingRuleConfig } from "../config/gateway-config-schema.ts";
import { maskPath, type PathSegment, parseJsonPath } from "./json-path.ts";
import { BUILT_IN_PATTERNS, type BuiltInPatternName, type MaskPattern } from "./patterns.ts";

/** What a masking pass did: per rule and matcher, how many values were masked. Never the values. */
export interface MaskingEntry {
  rule: string;
  /** The pattern name (`card_number`, a regex's name) or the JSON path. */
  matcher: string;
  count: number;
}

export interface MaskTarget {
  /** The tool name the client sees; undefined for resource reads and prompts. */
  tool?: string;
  server: string;
}

export interface Masker {
  /** The rules that could mask this target's results, and whether any uses JSON paths (the gateway then drops the tool's outputSchema). */
  appliesTo(target: MaskTarget): { rules: string[]; paths: boolean };
  /** Returns the masked copy and what was masked; the input is not changed. */
  mask<Value>(target: MaskTarget, value: Value): { value: Value; entries: MaskingEntry[] };
}

interface CompiledRule {
  name: string;
  tool: RegExp[] | undefined;
  server: RegExp[] | undefined;
  patterns: MaskPattern[];
  paths: { source: string; segments: PathSegment[] }[];
}

// Binary payloads and identifiers: never rewritten, so images and URIs stay intact.
const SKIPPED_KEYS = new Set(["data", "blob", "mimeType", "uri", "type", "_meta"]);

export function createMasker(rules: readonly MaskingRuleConfig[]): Masker {
  const compiled: CompiledRule[] = rules.map((rule, index) => ({
    name: rule.name ?? `masking.${index}`,
    tool: rule.tool?.map(globToRegExp),
    server: rule.server?.map(globToRegExp),
    patterns: [
      ...(rule.patterns ?? []).map((name) => BUILT_IN_PATTERNS[name as BuiltInPatternName]),
      ...(rule.regex ?? []).map((entry) => ({
        name: entry.name,
        regex: new RegExp(entry.pattern, `${(entry.flags ?? "").replace("g", "")}g`),
      })),
    ],
    paths: (rule.paths ?? []).map((source) => {
      const parsed = parseJsonPath(source);
      if (!parsed.ok) throw new Error(parsed.message);
      return { source, segments: parsed.segments };
    }),
  }));

  const matching = (target: MaskTarget) =>
    compiled.filter(
      (rule) =>
        // A rule that names tools applies to tool results only; one that does not applies everywhere.
        (rule.tool === undefined ||
          (target.tool !== undefined && rule.tool.some((pattern) => pattern.test(target.tool!)))) &&
        (rule.server === undefined || rule.server.some((pattern) => pattern.test(target.server))),
    );

  return {
    appliesTo(target) {
      const rules = matching(target);
      return { rules: rules.map((rule) => rule.name), paths: rules.some((rule) => rule.paths.length > 0) };
    },
    mask(target, value) {
      const rules = matching(target);
      if (rules.length === 0) return { value, entries: [] };
      const counts = new Map<string, MaskingEntry>();
      const add = (rule: string, matcher: string, count: number) => {
        if (count === 0) return;
        const key = `${rule}\u0000${matcher}`;
        const entry = counts.get(key) ?? { rule, matcher, count: 0 };
        entry.count += count;
        counts.set(key, entry);
      };
      const masked = walk(value, rules, add, false) as typeof value;
      return { value: masked, entries: [...counts.values()] };
    },
  };
}

type Add = (rule: string, matcher: string, count: number) => void;

/** Applies paths to objects that are structured content, and patterns to every text string. */
function walk(value: unknown, rules: CompiledRule[], add: Add, isStructured: boolean): unknown {
  if (typeof value === "string") return maskString(value, rules, add);
  if (value === null || typeof value !== "object") return value;
  let current: unknown = value;
  if (isStructured) current = applyPaths(current, rules, add);
  if (Array.isArray(current)) return current.map((item) => walk(item, rules, add, false));
  return Object.fromEntries(
    Object.entries(current as Record<string, unknown>).map(([key, child]) => {
      if (SKIPPED_KEYS.has(key)) return [key, child];
      return [key, walk(child, rules, add, key === "structuredContent")];
    }),
  );
}

function applyPaths(value: unknown, rules: CompiledRule[], add: Add): unknown {
  let current = value;
  for (const rule of rules) {
    for (const path of rule.paths) {
      const masked = maskPath(current, path.segments, "[masked]");
      add(rule.name, path.source, masked.count);
      current = masked.value;
    }
  }
  return current;
}

function maskString(text: string, rules: CompiledRule[], add: Add): string {
  let current = text;
  // A JSON document in a text block (a file the tool read): paths apply inside it.
  if (rules.some((rule) => rule.paths.length > 0) && /^\s*[[{]/.test(current)) {
    current = maskJsonText(current, rules, add);
  }
  for (const rule of rules) {
    for (const pattern of rule.patterns) {
      let count = 0;
      current = current.replace(pattern.regex, (match) => {
        if (pattern.accept && !pattern.accept(match)) return match;
        count++;
        return `[masked:${pattern.name}]`;
      });
      add(rule.name, pattern.name, count);
    }
  }
  return current;
}

function maskJsonText(text: string, rules: CompiledRule[], add: Add): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  let total = 0;
  const counting: Add = (rule, matcher, count) => {
    total += count;
    add(rule, matcher, count);
  };
  const masked = applyPaths(parsed, rules, counting);
  if (total === 0) return text;
  const indent = /^[[{]\s*\n([ \t]+)/.exec(text.trimStart())?.[1] ?? "";
  return JSON.stringify(masked, null, indent);
}
