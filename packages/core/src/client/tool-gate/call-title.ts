import type { ActionData } from "../../protocol/action.ts";

/** How many arguments a default title names. */
const TITLE_ARGUMENTS = 3;
const TITLE_VALUE_LENGTH = 40;

/**
 * A title an approver can act on without opening the card: the tool's name in
 * words and its first few plain arguments, e.g. `Refund payment: amount 12450,
 * currency USD, customer cus_42`.
 */
export function defaultTitle(toolName: string, args: ActionData): string {
  const words = toolName
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\-.]+/g, " ")
    .trim()
    .toLowerCase();
  const name = words === "" ? toolName : words.charAt(0).toUpperCase() + words.slice(1);
  const parts = Object.entries(args)
    .filter(([, value]) => isScalar(value))
    .slice(0, TITLE_ARGUMENTS)
    .map(([key, value]) => `${key.replace(/_/g, " ")} ${clip(String(value), TITLE_VALUE_LENGTH)}`);
  return parts.length === 0 ? name : `${name}: ${parts.join(", ")}`;
}

/**
 * Fills `{name}` (or `{nested.name}`) placeholders from the arguments, e.g.
 * `Refund {amount} {currency} to {customer}`. A placeholder with no plain value
 * behind it stays as written, so a typo shows on the card rather than vanishing.
 */
export function fillTitleTemplate(template: string, args: ActionData): string {
  return template.replace(/\{([\w.]+)\}/g, (placeholder, path: string) => {
    let value: unknown = args;
    for (const key of path.split(".")) {
      if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return placeholder;
      value = (value as Record<string, unknown>)[key];
    }
    return isScalar(value) ? String(value) : placeholder;
  });
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ");
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
