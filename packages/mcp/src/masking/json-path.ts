/**
 * The JSON path subset masking rules use: `$`, `.name`, `['name']`, `[0]`,
 * `[*]` / `.*` (every member), and `..name` (that key at any depth).
 */
export type PathSegment =
  | { kind: "key"; name: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "descend"; name: string };

export type ParsedPath = { ok: true; segments: PathSegment[] } | { ok: false; message: string };

const NAME = /^[A-Za-z_$][\w$-]*/;

export function parseJsonPath(source: string): ParsedPath {
  if (!source.startsWith("$")) return fail(`a JSON path starts with "$", e.g. "$.password" or "$..api_key"`);
  const segments: PathSegment[] = [];
  let rest = source.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith("..")) {
      const name = NAME.exec(rest.slice(2));
      if (!name) return fail(`expected a key name after ".." in "${source}"`);
      segments.push({ kind: "descend", name: name[0] });
      rest = rest.slice(2 + name[0].length);
    } else if (rest.startsWith(".*")) {
      segments.push({ kind: "wildcard" });
      rest = rest.slice(2);
    } else if (rest.startsWith(".")) {
      const name = NAME.exec(rest.slice(1));
      if (!name) return fail(`expected a key name after "." in "${source}"`);
      segments.push({ kind: "key", name: name[0] });
      rest = rest.slice(1 + name[0].length);
    } else if (rest.startsWith("[")) {
      const bracket = /^\[(?:\*|(\d+)|'([^']*)'|"([^"]*)")\]/.exec(rest);
      if (!bracket) return fail(`expected [*], [0] or ['name'] at "${rest}"`);
      if (bracket[1] !== undefined) segments.push({ kind: "index", index: Number(bracket[1]) });
      else if (bracket[2] !== undefined || bracket[3] !== undefined)
        segments.push({ kind: "key", name: (bracket[2] ?? bracket[3])! });
      else segments.push({ kind: "wildcard" });
      rest = rest.slice(bracket[0].length);
    } else {
      return fail(`unexpected "${rest}" in "${source}"`);
    }
  }
  if (segments.length === 0) return fail(`"$" alone would mask the whole result; name a field`);
  return { ok: true, segments };
}

function fail(message: string): ParsedPath {
  return { ok: false, message };
}

/**
 * Replaces every value the path selects with `replacement`, returning a new
 * value (the input is not changed) and how many values were replaced.
 */
export function maskPath(
  value: unknown,
  segments: readonly PathSegment[],
  replacement: unknown,
): { value: unknown; count: number } {
  if (segments.length === 0) return { value: replacement, count: 1 };
  const [segment, ...rest] = segments as [PathSegment, ...PathSegment[]];
  if (value === null || typeof value !== "object") return { value, count: 0 };
  if (segment.kind === "descend") return descend(value, segment.name, rest, replacement);
  let count = 0;
  const apply = (child: unknown): unknown => {
    const masked = maskPath(child, rest, replacement);
    count += masked.count;
    return masked.value;
  };
  if (Array.isArray(value)) {
    if (segment.kind === "wildcard") return { value: value.map(apply), count };
    if (segment.kind !== "index" || segment.index >= value.length) return { value, count: 0 };
    const copy = [...value];
    copy[segment.index] = apply(value[segment.index]);
    return { value: copy, count };
  }
  const record = value as Record<string, unknown>;
  if (segment.kind === "wildcard") {
    const copy = Object.fromEntries(Object.entries(record).map(([key, child]) => [key, apply(child)]));
    return { value: copy, count };
  }
  if (segment.kind !== "key" || !Object.hasOwn(record, segment.name)) return { value, count: 0 };
  return { value: { ...record, [segment.name]: apply(record[segment.name]) }, count };
}

/** `..name`: the key wherever it appears, then the rest of the path below it. */
function descend(
  value: object,
  name: string,
  rest: readonly PathSegment[],
  replacement: unknown,
): { value: unknown; count: number } {
  let count = 0;
  const visit = (node: unknown): unknown => {
    if (node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) return node.map(visit);
    const entries = Object.entries(node as Record<string, unknown>).map(([key, child]) => {
      if (key === name) {
        const masked = maskPath(child, rest, replacement);
        count += masked.count;
        // Keep descending below a match only when the path continues.
        return [key, rest.length > 0 ? visit(masked.value) : masked.value];
      }
      return [key, visit(child)];
    });
    return Object.fromEntries(entries);
  };
  return { value: visit(value), count };
}
