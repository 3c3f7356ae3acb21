import { CountersignError, type CountersignErrorDetails } from "../errors/countersign-error.ts";
import { ERROR_STATUS, type ErrorCode } from "../errors/error-codes.ts";

// Failures worth one more try: the request may not have reached the server, or
// the server failed on its side. Kept beside the error rather than on it, so
// the public error type stays as the errors module defines it.
const transientErrors = new WeakSet<CountersignError>();

/** A network failure, a per-request timeout or a 5xx: another attempt may succeed. */
export function transientError(
  code: ErrorCode,
  message: string,
  details: CountersignErrorDetails = {},
): CountersignError {
  const error = new CountersignError(code, message, details);
  transientErrors.add(error);
  return error;
}

export function isTransient(error: unknown): error is CountersignError {
  return error instanceof CountersignError && transientErrors.has(error);
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

const CODES_BY_STATUS: Record<number, ErrorCode> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/**
 * Maps a non-2xx reply to an error. A problem+json body keeps the server's
 * code when the client knows it; anything else gets a code from the status.
 */
export function errorFromResponse(
  status: number,
  text: string,
  pauseId: string | undefined,
): CountersignError {
  const problem = parseProblem(text);
  const details: CountersignErrorDetails = { status, pauseId: problem?.pause_id ?? pauseId };
  if (problem?.errors) details.errors = problem.errors;
  const serverSide = status >= 500;
  const make = (code: ErrorCode, message: string) =>
    serverSide ? transientError(code, message, details) : new CountersignError(code, message, details);
  if (problem) {
    const code = isErrorCode(problem.code) ? problem.code : serverSide ? "server_error" : "invalid_request";
    return make(code, problem.detail);
  }
  const message = `Countersign answered with HTTP ${status}`;
  if (serverSide) {
    const code = status === 503 && text.includes("store_unavailable") ? "store_unavailable" : "server_error";
    return make(code, message);
  }
  if (status >= 400) return make(CODES_BY_STATUS[status] ?? "invalid_request", message);
  return new CountersignError("invalid_response", `Unexpected HTTP ${status} from Countersign`, details);
}

interface ParsedProblem {
  code: string;
  detail: string;
  pause_id?: string;
  errors?: { path: string; message: string }[];
}

/** Lenient on purpose: any JSON object with a string `code` is read as a problem. */
function parseProblem(text: string): ParsedProblem | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null) return null;
  const record = body as Record<string, unknown>;
  if (typeof record.code !== "string") return null;
  const detail =
    typeof record.detail === "string"
      ? record.detail
      : typeof record.title === "string"
        ? record.title
        : `Countersign answered ${record.code}`;
  const problem: ParsedProblem = { code: record.code, detail };
  if (typeof record.pause_id === "string") problem.pause_id = record.pause_id;
  if (Array.isArray(record.errors)) {
    problem.errors = record.errors.filter(
      (entry): entry is { path: string; message: string } =>
        typeof entry?.path === "string" && typeof entry?.message === "string",
    );
  }
  return problem;
}
