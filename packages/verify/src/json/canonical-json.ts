/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): object keys sorted by UTF-16
 * code units, no white space, ECMAScript number and string serialisation.
 * The signed bytes of a proof and each audit event depend on it, so it
 * refuses what JSON cannot say (NaN, Infinity, lone surrogates, BigInt).
 * Undefined members are skipped and `toJSON` is honoured, as in `JSON.stringify`.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return canonicalString(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`JCS cannot encode the number ${value}`);
      // ECMAScript Number::toString is JCS's number form (and -0 becomes "0").
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      return value === null ? "null" : canonicalObject(value, undefined);
    default:
      throw new TypeError(`JCS cannot encode a value of type ${typeof value}`);
  }
}

/** The JCS of an object without some of its members (a proof without its signatures). */
export function canonicalJsonWithout(value: object, omitted: readonly string[]): string {
  return canonicalObject(value, omitted);
}

// Nothing to escape and no surrogates at all: the common case, quoted as it is.
// The control characters (U+0000–U+001F) are what JSON must escape.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function canonicalString(value: string): string {
  if (PLAIN.test(value)) return `"${value}"`;
  if (!value.isWellFormed()) throw new TypeError("JCS cannot encode a string with a lone surrogate");
  // JSON.stringify escapes exactly what JCS escapes (", \, control characters).
  return JSON.stringify(value);
}

function canonicalObject(value: object, omitted: readonly string[] | undefined): string {
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return canonicalJson(withJson.toJSON());
  if (Array.isArray(value)) {
    let out = "[";
    for (let index = 0; index < value.length; index++) {
      const item = value[index];
      if (index > 0) out += ",";
      out += item === undefined ? "null" : canonicalJson(item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Array.prototype.sort compares strings by UTF-16 code units, as JCS requires.
  const keys = Object.keys(record).sort();
  let out = "{";
  for (const key of keys) {
    const member = record[key];
    if (member === undefined || omitted?.includes(key)) continue;
    if (out.length > 1) out += ",";
    out += `${canonicalString(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}
