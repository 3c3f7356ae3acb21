import { CountersignError, parseOrThrow } from "@countersign/core";
import type { z } from "zod";

const MAX_BODY_BYTES = 64 * 1024;

/** Reads a JSON request body of at most 64 KiB and parses it with `schema`. */
export async function readJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) throw tooLarge();
  const text = await readCapped(request);
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
  return parseOrThrow(schema, value, "request body");
}

async function readCapped(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(): CountersignError {
  return new CountersignError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes`);
}
