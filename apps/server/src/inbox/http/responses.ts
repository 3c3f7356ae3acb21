import { ERROR_STATUS, ERROR_TITLES, type ErrorCode } from "@countersign/core";

/** JSON that no cache keeps: every inbox answer is about one signed-in person. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** RFC 9457 problem details with extra members (e.g. the pause as it now is). */
export function problemWith(code: ErrorCode, detail: string, extra: Record<string, unknown>): Response {
  const status = ERROR_STATUS[code];
  return new Response(
    JSON.stringify({
      type: `https://countersign.dev/problems/${code}`,
      title: ERROR_TITLES[code],
      status,
      detail,
      code,
      ...extra,
    }),
    { status, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
  );
}
