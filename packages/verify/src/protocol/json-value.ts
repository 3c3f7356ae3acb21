/** Any JSON value (the same shape as zod's `z.json()`). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
