import type { z } from "zod";
import { CountersignError } from "../errors/countersign-error.ts";

/** Human-readable `path: message` entries for a zod failure, naming each field. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)",
    message: issue.message,
  }));
}

/** Parses untrusted input with a schema; a failure is an `invalid_request` naming every bad field. */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = describeIssues(result.error);
  const detail = errors.map((entry) => `${entry.path}: ${entry.message}`).join("; ");
  throw new CountersignError("invalid_request", `Invalid ${what}: ${detail}`, { errors });
}
