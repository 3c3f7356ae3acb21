import { z } from "zod";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [member: string]: JsonValue };

/**
 * Any JSON value, as one named, recursive schema. zod's own `z.json()`
 * converts to an anonymous shared definition that OpenAPI tools cannot
 * resolve; this one becomes `#/components/schemas/JsonValue`.
 */
export const JsonValueSchema: z.ZodType<JsonValue, JsonValue> = z
  .lazy(() =>
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(JsonValueSchema),
      z.record(z.string(), JsonValueSchema),
    ]),
  )
  .meta({ id: "JsonValue", description: "Any JSON value." });
