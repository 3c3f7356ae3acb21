/** One leaf of the arguments: where it sits (`lines[3].sku`) and its value as text. */
export interface ArgumentField {
  path: string;
  value: string;
}

/**
 * Every leaf of the arguments in order, so a 200-line purchase order reads as
 * key/value rows (and can be counted and collapsed) rather than one blob of JSON.
 */
export function flattenArguments(data: Record<string, unknown>): ArgumentField[] {
  const fields: ArgumentField[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value) && value.length > 0) {
      for (const [index, item] of value.entries()) visit(item, `${path}[${index}]`);
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length === 0) fields.push({ path, value: "{}" });
      for (const [key, item] of entries) visit(item, path === "" ? key : `${path}.${key}`);
    } else {
      fields.push({ path, value: leafText(value) });
    }
  };
  visit(data, "");
  return fields;
}

function leafText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return "[]";
  return JSON.stringify(value) ?? String(value);
}
