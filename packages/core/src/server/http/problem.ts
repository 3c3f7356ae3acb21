import { CountersignError } from "../../errors/countersign-error.ts";
import { ERROR_TITLES } from "../../errors/error-codes.ts";

const PROBLEM_TYPE_BASE = "https://countersign.dev/problems/";

/** Renders any thrown value as RFC 9457 problem details. Unknown errors leak nothing. */
export function problemResponse(error: unknown, log: (message: string, error: unknown) => void): Response {
  const known = error instanceof CountersignError ? error : null;
  if (!known) log("unhandled error", error);
  const code = known?.code ?? "internal_error";
  const status = known?.status ?? 500;
  const body: Record<string, unknown> = {
    type: PROBLEM_TYPE_BASE + code,
    title: ERROR_TITLES[code],
    status,
    detail: known?.message ?? "An unexpected error occurred; it has been logged.",
    code,
  };
  if (known?.errors) body.errors = known.errors;
  if (known?.pauseId) body.pause_id = known.pauseId;
  const headers = new Headers({ "content-type": "application/problem+json" });
  if (status === 401) headers.set("www-authenticate", 'Bearer realm="countersign"');
  if (status === 503) headers.set("retry-after", "1");
  return new Response(JSON.stringify(body), { status, headers });
}
