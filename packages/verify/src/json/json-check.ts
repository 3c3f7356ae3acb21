/**
 * How deep a verifier follows nested JSON. Deeper input is refused, not
 * recursed into (a stack overflow is not a verdict). A server must not accept
 * (and so never sign) JSON nested deeper than this.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * Member names refused at any depth: JavaScript treats them specially, so two
 * parsers can disagree on what such an object holds (a `__proto__` member is
 * kept by `JSON.parse` but dropped or turned into a prototype by others).
 */
export const REFUSED_MEMBER_NAMES: readonly string[] = ["__proto__", "constructor", "prototype"];
// (walkObject compares with the three names directly: it runs for every member.)

export type JsonCheck = { ok: true; members: number } | { ok: false; path: string; message: string };

export interface JsonLimits {
  /**
   * Deepest nesting followed; default `MAX_JSON_DEPTH`. An envelope that
   * carries a proof (a webhook body) may add its own levels on top.
   */
  maxDepth?: number;
}

interface Problem {
  path: (string | number)[];
  message: string;
  maxDepth: number;
}

/**
 * Checks that a value is plain JSON data that canonicalises one way only:
 * finite numbers, well-formed strings and member names (no lone surrogates),
 * plain objects and arrays no deeper than `MAX_JSON_DEPTH`, no refused member
 * names. Undefined members are skipped, as JSON and JCS skip them. On success
 * it counts the object members, which `parseJsonText` uses to find duplicates.
 */
export function checkJsonValue(value: unknown, options: JsonLimits = {}): JsonCheck {
  const problem: Problem = { path: [], message: "", maxDepth: options.maxDepth ?? MAX_JSON_DEPTH };
  const members = walk(value, 1, problem);
  if (members >= 0) return { ok: true, members };
  return { ok: false, path: formatPath(problem.path), message: problem.message };
}

// Deep paths are shortened: the first members and the last one say where.
function formatPath(path: (string | number)[]): string {
  if (path.length <= 8) return path.join(".");
  return `${path.slice(0, 4).join(".")}.….${path.at(-1)} (${path.length} levels)`;
}

function fail(problem: Problem, message: string): number {
  problem.message = message;
  return -1;
}

// Returns the number of object members below `value`, or -1 with `problem` filled in.
function walk(value: unknown, depth: number, problem: Problem): number {
  switch (typeof value) {
    case "string":
      return value.isWellFormed() ? 0 : fail(problem, "contains a lone surrogate");
    case "number":
      return Number.isFinite(value) ? 0 : fail(problem, "is not a finite number");
    case "boolean":
      return 0;
    case "object":
      if (value === null) return 0;
      if (depth > problem.maxDepth) return fail(problem, `nests deeper than ${problem.maxDepth} levels`);
      return Array.isArray(value) ? walkArray(value, depth, problem) : walkObject(value, depth, problem);
    default:
      return fail(
        problem,
        `is ${typeof value === "undefined" ? "undefined" : `a ${typeof value}`}, not JSON`,
      );
  }
}

function walkArray(value: unknown[], depth: number, problem: Problem): number {
  let members = 0;
  for (let index = 0; index < value.length; index++) {
    const below = walk(value[index], depth + 1, problem);
    if (below < 0) {
      problem.path.unshift(index);
      return -1;
    }
    members += below;
  }
  return members;
}

function walkObject(value: object, depth: number, problem: Problem): number {
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return fail(problem, "is not plain JSON data");
  const record = value as Record<string, unknown>;
  let members = 0;
  for (const key of Object.keys(record)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") {
      problem.path.unshift(key);
      return fail(problem, `a member named "${key}" is refused`);
    }
    if (!key.isWellFormed()) return fail(problem, "has a member name with a lone surrogate");
    const member = record[key];
    if (member === undefined) continue;
    const below = walk(member, depth + 1, problem);
    if (below < 0) {
      problem.path.unshift(key);
      return -1;
    }
    members += below + 1;
  }
  return members;
}
