import {
  CountersignError,
  type CountersignErrorDetails,
  isCountersignError,
} from "../../errors/countersign-error.ts";
import type { ErrorCode } from "../../errors/error-codes.ts";
import { isTransient } from "../errors.ts";

/**
 * Why a gated tool call did not run, as the application must handle it:
 * - `outage`: Countersign could not be reached or answered 5xx, or the wait
 *   timed out. Nothing was decided or spent on our side; the approval stays
 *   resumable, and retrying the same resume works.
 * - `security`: a proof that is forged, tampered, for another pause or another
 *   action, or a pause that does not belong to this call. Never model text:
 *   always thrown to the application.
 * - `configuration`: the gate is used wrongly (no trust anchor, no thread id,
 *   options that differ between processes, a key without rights).
 */
export type ToolGateFailure = "outage" | "security" | "configuration";

const SECURITY_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "proof_malformed",
  "proof_unsupported_version",
  "proof_invalid_signature",
  "proof_unknown_key",
  "proof_wrong_pause",
  "proof_digest_mismatch",
  "proof_not_approved",
  "proof_missing",
  "proof_mismatch",
  "not_approved",
  "webhook_invalid_signature",
  "webhook_wrong_pause",
]);

const OUTAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "network_error",
  "timeout",
  "server_error",
  "store_unavailable",
  "internal_error",
]);

/** A tool call that did not run because of Countersign, with which kind of failure it was. */
export class ToolGateError extends CountersignError {
  readonly failure: ToolGateFailure;
  readonly toolName: string;

  constructor(
    failure: ToolGateFailure,
    code: ErrorCode,
    message: string,
    details: CountersignErrorDetails & { toolName: string },
  ) {
    const { toolName, ...rest } = details;
    super(code, message, rest);
    this.failure = failure;
    this.toolName = toolName;
  }
}

/** Which kind of failure an error from the client or the proof check is. */
export function failureOf(error: unknown): ToolGateFailure {
  if (error instanceof ToolGateError) return error.failure;
  if (!isCountersignError(error)) return "configuration";
  const { code } = error as CountersignError;
  if (SECURITY_CODES.has(code)) return "security";
  if (isTransient(error) || OUTAGE_CODES.has(code)) return "outage";
  return "configuration";
}

export function isOutage(error: unknown): error is ToolGateError {
  return error instanceof ToolGateError && error.failure === "outage";
}

export function isSecurityFailure(error: unknown): error is ToolGateError {
  return error instanceof ToolGateError && error.failure === "security";
}

/** Wraps any failure as a `ToolGateError` naming the call, and saying the tool did not run. */
export function gateFailure(
  error: unknown,
  call: { toolName: string; callId: string },
  pauseId?: string,
): ToolGateError {
  if (error instanceof ToolGateError) return error;
  const failure = failureOf(error);
  const known = isCountersignError(error) ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const resumable = failure === "outage" ? " The approval stays resumable: retry the same resume." : "";
  const details: CountersignErrorDetails & { toolName: string } = {
    toolName: call.toolName,
    toolCallId: call.callId,
    cause: error,
  };
  const knownPause = pauseId ?? known?.pauseId;
  if (knownPause !== undefined) details.pauseId = knownPause;
  if (known !== undefined) details.status = known.status;
  return new ToolGateError(
    failure,
    known?.code ?? "internal_error",
    `${call.toolName} (call ${call.callId}) did not run: ${message}${resumable}`,
    details,
  );
}
