/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): object keys sorted by UTF-16
 * code units, no white space, ECMAScript number and string serialisation.
 * The signed bytes of a proof and each audit event depend on it, so it
 * refuses what JSON cannot say (NaN, Infinity, lone surrogates, BigInt).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`JCS cannot encode the number ${value}`);
      return JSON.stringify(value);
    case "string":
      if (!value.isWellFormed()) throw new TypeError("JCS cannot encode a string with a lone surrogate");
      return JSON.stringify(value);
    case "object":
      return canonicalObject(value as object);
    default:
      throw new TypeError(`JCS cannot encode a value of type ${typeof value}`);
  }
}

function canonicalObject(value: object): string {
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return canonicalJson(withJson.toJSON());
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${canonicalJson(key)}:${canonicalJson(record[key])}`).join(",")}}`;
}
