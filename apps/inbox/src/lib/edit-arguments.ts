import type { ActionData } from "@countersign/core";
import { canonicalJson } from "@countersign/verify";

export type ParsedArguments = { ok: true; data: ActionData } | { ok: false; error: string };

/** Edited arguments must be one JSON object, as the action's own arguments are. */
export function parseEditedArguments(text: string): ParsedArguments {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: 'The arguments must be a JSON object, like {"amount": 100}.' };
  }
  return { ok: true, data: value as ActionData };
}

export interface ArgumentChange {
  key: string;
  before: string;
  after: string;
}

/** Top-level fields that differ, shown before an approval with edits. */
export function changedArguments(before: ActionData, after: ActionData): ArgumentChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => canonical(before[key]) !== canonical(after[key]))
    .map((key) => ({ key, before: show(before[key]), after: show(after[key]) }));
}

function canonical(value: unknown): string {
  return value === undefined ? "" : canonicalJson(value);
}

function show(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}
