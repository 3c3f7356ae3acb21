import { readJsonBody } from "@countersign/core/server";
import type { z } from "zod";

const MAX_BODY_BYTES = 64 * 1024;

/** Reads a JSON request body of at most 64 KiB and parses it with `schema` (the API's own reader, a smaller cap). */
export function readJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  return readJsonBody(request, schema, MAX_BODY_BYTES);
}
