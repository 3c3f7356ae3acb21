import { ERROR_STATUS, type ErrorCode } from "./error-codes.ts";

export interface CountersignErrorDetails {
  /** HTTP status; defaults to the code's status in `ERROR_STATUS`. */
  status?: number;
  pauseId?: string;
  toolCallId?: string;
  /** Field-level problems, for `invalid_request`. */
  errors?: { path: string; message: string }[];
  cause?: unknown;
}

// A registry symbol, not a module-local one: a second copy of this module (a
// bundled n8n node, a dual install) still recognises the errors of the first.
const marker = Symbol.for("countersign.error");

/**
 * The one error type of Countersign. `code` is stable and machine-readable;
 * every failure that must stop an action (transport, proof, store) is one of these.
 */
export class CountersignError extends Error {
  override readonly name = "CountersignError";
  readonly code: ErrorCode;
  readonly status: number;
  readonly pauseId: string | undefined;
  readonly toolCallId: string | undefined;
  readonly errors: { path: string; message: string }[] | undefined;

  constructor(code: ErrorCode, message: string, details: CountersignErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status ?? ERROR_STATUS[code];
    this.pauseId = details.pauseId;
    this.toolCallId = details.toolCallId;
    this.errors = details.errors;
    Object.defineProperty(this, marker, { value: true });
  }
}

/** Whether `error` is a `CountersignError` (from any copy of this module), optionally with this `code`. */
export function isCountersignError(error: unknown, code?: ErrorCode): error is CountersignError {
  const branded =
    error instanceof CountersignError ||
    (typeof error === "object" && error !== null && (error as { [marker]?: unknown })[marker] === true);
  return branded && (code === undefined || (error as CountersignError).code === code);
}
