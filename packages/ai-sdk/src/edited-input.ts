import { CountersignError } from "@countersign/core";

interface StandardSchemaLike {
  "~standard": {
    validate(
      value: unknown,
    ):
      | { value?: unknown; issues?: readonly { message: string }[] }
      | PromiseLike<{ value?: unknown; issues?: readonly { message: string }[] }>;
  };
}

interface SdkSchemaLike {
  validate(
    value: unknown,
  ):
    | { success: boolean; value?: unknown; error?: unknown }
    | PromiseLike<{ success: boolean; value?: unknown; error?: unknown }>;
}

/**
 * Parses arguments an approver edited with the tool's own input schema (zod,
 * any Standard Schema, or an AI SDK `jsonSchema` with a validator), so the
 * tool never runs with a shape it does not accept.
 */
export async function parseEditedInput(
  schema: unknown,
  value: unknown,
  ids: { pauseId: string; toolCallId: string },
): Promise<unknown> {
  if (typeof schema !== "object" || schema === null) return value;
  const invalid = (detail: string) =>
    new CountersignError(
      "invalid_request",
      `The approver's edited arguments do not match the tool's input schema: ${detail}`,
      ids,
    );
  if ("~standard" in schema) {
    const result = await (schema as StandardSchemaLike)["~standard"].validate(value);
    if (result.issues) throw invalid(result.issues.map((issue) => issue.message).join("; "));
    return result.value;
  }
  if (typeof (schema as Partial<SdkSchemaLike>).validate === "function") {
    const result = await (schema as SdkSchemaLike).validate(value);
    if (!result.success) throw invalid(String(result.error));
    return result.value;
  }
  return value;
}
