import type { z } from "zod";
import { CountersignError } from "../../errors/countersign-error.ts";
import { findJsonProblem } from "../../protocol/json-guard.ts";
import { parseOrThrow } from "../../protocol/parse.ts";

/**
 * Reads a request body as JSON, at most `maxBytes`, and parses it with `schema`.
 * An empty body counts as `{}` so that optional bodies (claim, cancel) may be omitted.
 * Lone surrogates, hostile member names and deep nesting are refused before the
 * schema sees the value (see json-guard.ts), each as a 400 naming the field.
 */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  maxBytes: number,
): Promise<z.output<Schema>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readCapped(request, maxBytes);
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      throw new CountersignError("invalid_request", "The request body is not valid JSON", {
        errors: [{ path: "(body)", message: "not valid JSON" }],
      });
    }
  }
  const problem = findJsonProblem(value);
  if (problem) {
    throw new CountersignError(
      "invalid_request",
      `Invalid request body: ${problem.path}: ${problem.message}`,
      {
        errors: [problem],
      },
    );
  }
  return parseOrThrow(schema, value, "request body");
}

async function readCapped(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

function tooLarge(maxBytes: number): CountersignError {
  return new CountersignError("payload_too_large", `The request body is larger than ${maxBytes} bytes`);
}
