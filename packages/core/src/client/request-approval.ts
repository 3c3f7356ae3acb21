import type { PauseRequest } from "../protocol/pause-request.ts";
import { createPause, getKeys } from "./endpoints.ts";
import type { Http } from "./http.ts";
import type { ApprovalResult, RequestApprovalOptions } from "./types.ts";
import { verifyDecision } from "./verify-decision.ts";
import { waitForDecision } from "./wait-for-decision.ts";

/**
 * Opens a pause, waits for its decision (unless policy decided at once) and
 * verifies the proof against the action as requested, so a server cannot
 * swap the action under the agent.
 */
export async function requestApproval(
  http: Http,
  request: PauseRequest,
  options: RequestApprovalOptions,
): Promise<ApprovalResult> {
  const startedAt = Date.now();
  let pause = await createPause(http, request, {
    idempotencyKey: options.idempotencyKey,
    signal: options.signal,
  });
  if (pause.status === "pending") {
    const timeoutMs =
      options.timeoutMs === undefined ? undefined : Math.max(0, options.timeoutMs - (Date.now() - startedAt));
    pause = await waitForDecision(http, pause.pause_id, {
      timeoutMs,
      signal: options.signal,
      transport: options.transport,
    });
  }
  return verifyDecision(pause, { ...options.verify, action: request.action }, () => getKeys(http));
}
