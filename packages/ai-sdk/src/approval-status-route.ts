import { isCountersignError } from "@countersign/core";
import type { ApprovalClient } from "./approval-options.ts";

export interface ApprovalStatusRouteOptions {
  /** The same agent-key client the gated tools use; the browser never holds a key. */
  client: ApprovalClient;
  /** Long-poll: answer as soon as the pause is decided, or after this many seconds. Default 25. */
  waitSeconds?: number;
}

/** What the browser polls while an approval is pending. */
export interface ApprovalStatus {
  pause_id: string;
  approval_id: string | null;
  status: "pending" | "approved" | "rejected" | "expired" | "cancelled";
  /** The reviewer's reason, once decided. */
  reason: string | null;
}

/**
 * A `GET` route handler (`?pause_id=pau_…`) for the browser to follow an
 * approval that is decided elsewhere. It only reports; the decision that
 * counts is the one `prepareMessages` and the gated tool verify on the server.
 */
export function createApprovalStatusRoute(
  options: ApprovalStatusRouteOptions,
): (request: Request) => Promise<Response> {
  const waitSeconds = options.waitSeconds ?? 25;
  return async (request) => {
    const pauseId = new URL(request.url).searchParams.get("pause_id");
    if (!pauseId) return problem(400, "invalid_request", "Query parameter pause_id is required");
    try {
      const pause = await options.client.getPause(pauseId, { waitSeconds, signal: request.signal });
      if (pause.context.framework !== "ai-sdk") return problem(404, "not_found", `No approval ${pauseId}`);
      const approvalId = pause.context.approval_id;
      const status: ApprovalStatus = {
        pause_id: pause.pause_id,
        approval_id: typeof approvalId === "string" ? approvalId : null,
        status: pause.status,
        reason: pause.decision?.reason ?? null,
      };
      return Response.json(status, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      if (isCountersignError(error, "not_found")) return problem(404, "not_found", `No approval ${pauseId}`);
      if (isCountersignError(error)) return problem(502, error.code, error.message);
      throw error;
    }
  };
}

function problem(status: number, code: string, detail: string): Response {
  return Response.json(
    { type: "about:blank", title: code, status, detail, code },
    { status, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
  );
}
