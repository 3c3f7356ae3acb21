import { type ActionData, CountersignError } from "@countersign/core";

/** Key under which a tool input that is not a JSON object travels in `action.data`. */
const WRAPPED_INPUT_KEY = "input";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The tool input as the approver sees and may edit it: its JSON form (dates
 * become strings, `undefined` disappears), wrapped as `{ input }` when the
 * tool takes something other than an object.
 */
export function toActionData(input: unknown, toolCallId: string): ActionData {
  let json: unknown;
  try {
    json = input === undefined ? {} : JSON.parse(JSON.stringify(input));
  } catch (error) {
    throw new CountersignError(
      "invalid_request",
      "The tool input cannot be sent for approval: it is not JSON",
      {
        toolCallId,
        cause: error,
      },
    );
  }
  return isPlainObject(json) ? (json as ActionData) : { [WRAPPED_INPUT_KEY]: json as ActionData[string] };
}

/** The tool input for approved data: unwraps what `toActionData` wrapped. */
export function fromActionData(data: ActionData, originalInput: unknown): unknown {
  const wasObject = isPlainObject(originalInput) || originalInput === undefined;
  return wasObject ? data : data[WRAPPED_INPUT_KEY];
}
