/** An RFC 9457 problem, as the middleware answers a refused request. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const TITLES: Record<string, string> = {
  proof_required: "Approval required",
  proof_invalid: "Invalid approval proof",
  action_mismatch: "Request differs from what was approved",
  already_claimed: "Approval already used",
  not_approved: "Not approved",
  invalid_request: "Invalid request",
  countersign_unavailable: "Countersign unreachable",
  countersign_misconfigured: "Countersign refused this service's executor key",
};

export function problem(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    type: `https://countersign.dev/problems/${code}`,
    title: TITLES[code] ?? code,
    status,
    detail,
    code,
    ...extensions,
  };
}
