import { CountersignError } from "../errors/countersign-error.ts";
import { checkJsonValue, type JsonLimits } from "./json-check.ts";

export type ParsedJson =
  | { ok: true; value: unknown }
  /** `syntax`: not JSON at all; otherwise JSON that `checkJsonValue` or the duplicate check refused. */
  | { ok: false; syntax: boolean; path: string; message: string };

/**
 * `JSON.parse`, then `checkJsonValue`, and no member name twice in one object
 * (RFC 8259 leaves duplicates to the parser: `JSON.parse` keeps the last one,
 * other parsers the first, so the same bytes could mean two things).
 */
export function parseJsonText(text: string, limits: JsonLimits = {}): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, syntax: true, path: "", message: `is not JSON (${(error as Error).message})` };
  }
  const check = checkJsonValue(value, limits);
  if (!check.ok) return { ...check, syntax: false };
  if (memberCount(text) !== check.members) {
    return { ok: false, syntax: false, path: "", message: "has a member name twice in one object" };
  }
  return { ok: true, value };
}

/**
 * Parses untrusted JSON text the way every Countersign verifier does (see
 * `parseJsonText`). A failure is an `invalid_request` naming the member at fault.
 */
export function parseJson(text: string, what = "JSON", limits: JsonLimits = {}): unknown {
  const parsed = parseJsonText(text, limits);
  if (parsed.ok) return parsed.value;
  const path = parsed.path || "(body)";
  throw new CountersignError("invalid_request", `Invalid ${what}: ${path} ${parsed.message}`, {
    errors: [{ path, message: parsed.message }],
  });
}

// In JSON that parsed, every ':' outside a string separates one member's name from its value.
function memberCount(text: string): number {
  let count = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x3a) count++;
  }
  return count;
}
