import type { JsonValue } from "./json-value.ts";

// Plain types (aliases, as zod infers them) of the wire protocol (v1). @countersign/core's zod schemas are the
// source of truth for the wire; a type test there keeps these assignable both ways.

export type Risk = "low" | "medium" | "high" | "critical";

/** Any JSON object: the arguments of the gated tool call. */
export type ActionData = { [key: string]: JsonValue };

/** The irreversible thing an agent wants to do; a proof is bound to its digest. */
export type Action = {
  type: string;
  title?: string;
  description?: string;
  body?: string;
  data?: ActionData;
  risk?: Risk;
};
