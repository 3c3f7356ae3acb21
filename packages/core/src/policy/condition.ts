import { canonicalJson } from "../proof/canonical-json.ts";
import { matchesGlob } from "./glob.ts";

export type ConditionOperator =
  | "=="
  | "!="
  | ">"
  | ">="
  | "<"
  | "<="
  | "in"
  | "not in"
  | "matches"
  | "exists";

type Scalar = string | number | boolean | null;

/** One parsed condition on `action.data`, e.g. `amount > 500`, `currency in [USD, EUR]`, `env == "prod"`. */
export interface Condition {
  /** The text as written in the policy. */
  source: string;
  /** Path into `action.data` (`customer.tier` → `["customer", "tier"]`). */
  field: string[];
  operator: ConditionOperator;
  /** A scalar, a list for `in` / `not in`, a glob for `matches`, nothing for `exists`. */
  value?: Scalar | Scalar[];
}

export type ParsedCondition = { ok: true; condition: Condition } | { ok: false; message: string };

const FIELD = /^\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*/;
const OPERATOR = /^(==|!=|>=|<=|>|<|not\s+in\b|in\b|matches\b|exists\b)\s*/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const BARE_WORD = /^[A-Za-z_][\w.@:/+-]*/;

/**
 * Parses `<field> <operator> <value>`. Values are JSON-like: numbers,
 * quoted strings, `true`, `false`, `null`, bare words (read as strings) and
 * `[a, b]` lists. A leading `data.` names the same field (`data.amount` is `amount`).
 */
export function parseCondition(source: string): ParsedCondition {
  const fieldMatch = FIELD.exec(source);
  if (!fieldMatch) return fail(`expected a field name at the start of "${source}"`);
  let rest = source.slice(fieldMatch[0].length);
  const operatorMatch = OPERATOR.exec(rest);
  if (!operatorMatch) {
    const hint = rest.startsWith("=") ? ' (use "==" to compare)' : "";
    return fail(
      `expected an operator (==, !=, >, >=, <, <=, in, not in, matches, exists) after "${fieldMatch[1]}"${hint}`,
    );
  }
  const operator = operatorMatch[1]!.replace(/\s+/, " ") as ConditionOperator;
  rest = rest.slice(operatorMatch[0].length);
  const field = fieldMatch[1]!.split(".");
  if (field[0] === "data" && field.length > 1) field.shift();
  if (operator === "exists") {
    return rest.trim() === "" ? ok({ source, field, operator }) : fail(`"exists" takes no value`);
  }
  const parsed = readValue(rest);
  if (!parsed.ok) return fail(parsed.message);
  if (parsed.rest.trim() !== "") return fail(`unexpected "${parsed.rest.trim()}" after the value`);
  const { value } = parsed;
  const isList = Array.isArray(value);
  if ((operator === "in" || operator === "not in") && !isList)
    return fail(`"${operator}" needs a list, e.g. [USD, EUR]`);
  if (operator !== "in" && operator !== "not in" && isList) return fail(`"${operator}" needs a single value`);
  if ([">", ">=", "<", "<="].includes(operator) && typeof value !== "number")
    return fail(`"${operator}" compares numbers; ${JSON.stringify(value)} is not a number`);
  if (operator === "matches" && typeof value !== "string") return fail(`"matches" needs a glob string`);
  return ok({ source, field, operator, value });
}

function ok(condition: Condition): ParsedCondition {
  return { ok: true, condition };
}

function fail(message: string): ParsedCondition {
  return { ok: false, message };
}

type ReadResult = { ok: true; value: Scalar | Scalar[]; rest: string } | { ok: false; message: string };

function readValue(text: string): ReadResult {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    const items: Scalar[] = [];
    let rest = trimmed.slice(1).trimStart();
    if (rest.startsWith("]")) return { ok: true, value: items, rest: rest.slice(1) };
    for (;;) {
      const item = readScalar(rest);
      if (!item.ok) return item;
      items.push(item.value);
      rest = item.rest.trimStart();
      if (rest.startsWith(",")) rest = rest.slice(1).trimStart();
      else if (rest.startsWith("]")) return { ok: true, value: items, rest: rest.slice(1) };
      else return { ok: false, message: 'expected "," or "]" in the list' };
    }
  }
  return readScalar(trimmed);
}

function readScalar(
  text: string,
): { ok: true; value: Scalar; rest: string } | { ok: false; message: string } {
  if (text === "") return { ok: false, message: "expected a value" };
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    let index = 1;
    let value = "";
    while (index < text.length && text[index] !== quote) {
      if (text[index] === "\\" && index + 1 < text.length) index++;
      value += text[index];
      index++;
    }
    if (index >= text.length) return { ok: false, message: "unterminated string" };
    return { ok: true, value, rest: text.slice(index + 1) };
  }
  const number = NUMBER.exec(text);
  if (number && !/^[\w.]/.test(text.slice(number[0].length))) {
    return { ok: true, value: Number(number[0]), rest: text.slice(number[0].length) };
  }
  const word = BARE_WORD.exec(text);
  if (!word) return { ok: false, message: `cannot read a value at "${text}"` };
  const keywords: Record<string, Scalar> = { true: true, false: false, null: null };
  const value = Object.hasOwn(keywords, word[0]) ? keywords[word[0]]! : word[0];
  return { ok: true, value, rest: text.slice(word[0].length) };
}

export interface ConditionResult {
  holds: boolean;
  /** The field's value in the request; `undefined` when it is missing. */
  actual: unknown;
}

/**
 * Evaluates a condition against `action.data`. A missing field, or a value
 * of another type than the condition's (a string where a number is
 * compared), makes every condition false, `!=` and `not in` included: a rule
 * never fires on data it cannot read.
 */
export function evaluateCondition(
  condition: Condition,
  data: Record<string, unknown> | undefined,
): ConditionResult {
  const actual = lookup(data, condition.field);
  if (condition.operator === "exists") return { holds: actual !== undefined, actual };
  if (actual === undefined) return { holds: false, actual };
  const { value } = condition;
  switch (condition.operator) {
    case "==":
      return { holds: sameJson(actual, value), actual };
    case "!=":
      return { holds: sameType(actual, value) && !sameJson(actual, value), actual };
    case ">":
    case ">=":
    case "<":
    case "<=":
      return {
        holds: typeof actual === "number" && compare(condition.operator, actual, value as number),
        actual,
      };
    case "in":
      return { holds: (value as Scalar[]).some((item) => sameJson(actual, item)), actual };
    case "not in": {
      const list = value as Scalar[];
      const comparable = list.length === 0 || list.some((item) => sameType(actual, item));
      return { holds: comparable && !list.some((item) => sameJson(actual, item)), actual };
    }
    case "matches":
      return { holds: typeof actual === "string" && matchesGlob(value as string, actual), actual };
  }
}

function lookup(data: Record<string, unknown> | undefined, path: string[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function compare(operator: ">" | ">=" | "<" | "<=", actual: number, expected: number): boolean {
  if (operator === ">") return actual > expected;
  if (operator === ">=") return actual >= expected;
  if (operator === "<") return actual < expected;
  return actual <= expected;
}

function sameType(actual: unknown, expected: unknown): boolean {
  const kind = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
  return kind(actual) === kind(expected);
}

function sameJson(actual: unknown, expected: unknown): boolean {
  try {
    return canonicalJson(actual) === canonicalJson(expected);
  } catch {
    return false;
  }
}
