import type { ActionData } from "@countersign/core";

/** The model's argument string as an action's data; `null` when it is not a JSON object. */
export function parseToolArguments(raw: string | undefined): ActionData | null {
  if (raw === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw === "" ? "{}" : raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  return value as ActionData;
}
