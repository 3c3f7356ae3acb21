import { canonicalJson, type JsonValue } from "@countersign/verify";

export interface Mismatch {
  /** Where the request differs, e.g. `data.amount` or `type`. */
  path: string;
  approved: JsonValue | undefined;
  requested: JsonValue | undefined;
}

const MAX_MISMATCHES = 20;

/** Every place where `requested` differs from `approved` (objects member by member, arrays and scalars whole). */
export function findMismatches(
  approved: unknown,
  requested: unknown,
  path: string,
  found: Mismatch[] = [],
): Mismatch[] {
  if (found.length >= MAX_MISMATCHES) return found;
  if (isObject(approved) && isObject(requested)) {
    const names = [...new Set([...Object.keys(approved), ...Object.keys(requested)])].sort();
    for (const name of names) findMismatches(approved[name], requested[name], `${path}.${name}`, found);
    return found;
  }
  if (same(approved, requested)) return found;
  found.push({
    path,
    approved: approved as JsonValue | undefined,
    requested: requested as JsonValue | undefined,
  });
  return found;
}

/** One line per mismatch, for the problem's `detail`. */
export function describeMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches
    .map(
      (mismatch) =>
        `${mismatch.path} (approved ${show(mismatch.approved)}, requested ${show(mismatch.requested)})`,
    )
    .join("; ");
}

function same(left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return left === right;
  try {
    return canonicalJson(left) === canonicalJson(right);
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = canonicalJson(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
