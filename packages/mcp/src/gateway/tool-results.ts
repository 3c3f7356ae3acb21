import type { Pause } from "@countersign/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** The `_meta` key the gateway's own facts go under (machine-readable; the text is for the model). */
export const META_KEY = "countersign/approval";

export interface ApprovalMeta {
  status: "pending" | "approved" | "rejected" | "expired" | "cancelled" | "denied" | "error" | "replayed";
  pause_id?: string;
  rule?: string;
  reason?: string | null;
  decided_by?: string;
  code?: string;
  expires_at?: string;
  inbox?: string;
}

/**
 * A result the gateway writes itself. Always `isError` (the tool did not run)
 * and never `structuredContent`, which a client would check against the
 * upstream tool's outputSchema.
 */
export function gatewayResult(text: string, meta: ApprovalMeta): CallToolResult {
  return { content: [{ type: "text", text }], isError: true, _meta: { [META_KEY]: meta } };
}

/** Adds the gateway's facts to an upstream result without touching its content. */
export function withMeta(result: CallToolResult, meta: ApprovalMeta): CallToolResult {
  return { ...result, _meta: { ...result._meta, [META_KEY]: meta } };
}

/** "group:ops, bob@acme.com via slack #approvals" — who the pause went to. */
export function describeRouting(pause: Pause): string {
  const approvers = pause.routing?.approvers;
  const who =
    approvers && approvers.length > 0 ? approvers.join(", ") : "the approvers Countersign's policy names";
  const where = pause.recipients.map((recipient) => `${recipient.channel} ${recipient.target}`);
  return where.length > 0 ? `${who} via ${where.join(", ")}` : who;
}

export function pendingResult(pause: Pause, tool: string, rule: string, waitSeconds: number): CallToolResult {
  const text = [
    `Approval required: this call to ${tool} was sent for human approval (pause ${pause.pause_id}, to ${describeRouting(pause)}).`,
    "Nothing has run yet.",
    `To continue, call ${tool} again with exactly the same arguments: it picks up this approval and waits up to ${waitSeconds} s for the decision.`,
    `The request expires at ${pause.expires_at} (expiry counts as a rejection).`,
  ].join(" ");
  return gatewayResult(text, {
    status: "pending",
    pause_id: pause.pause_id,
    rule,
    expires_at: pause.expires_at,
    inbox: pause.links.inbox,
  });
}

export function rejectedResult(
  pause: Pause,
  tool: string,
  status: "rejected" | "expired" | "cancelled",
  reason: string | null,
): CallToolResult {
  const by = pause.decision?.decided_by;
  const decider = by ? (by.kind === "human" ? by.id : `${by.kind} ${by.id}`) : undefined;
  const text =
    status === "rejected"
      ? `Rejected${decider ? ` by ${decider}` : ""}${reason ? `: ${reason}` : " (no reason given)"}. The call to ${tool} did not run.`
      : status === "expired"
        ? `The approval request (pause ${pause.pause_id}) expired without a decision, which counts as a rejection. The call to ${tool} did not run.`
        : `The approval request (pause ${pause.pause_id}) was cancelled${reason ? `: ${reason}` : ""}. The call to ${tool} did not run.`;
  return gatewayResult(text, {
    status,
    pause_id: pause.pause_id,
    reason,
    ...(decider && { decided_by: decider }),
  });
}

export function deniedResult(tool: string, rule: string, reason: string | undefined): CallToolResult {
  const why = reason ? `: ${reason}` : "";
  return gatewayResult(
    `Denied by the gateway's policy (rule ${rule})${why}. The call to ${tool} did not run.`,
    { status: "denied", rule, reason: reason ?? null },
  );
}

export function failedResult(
  tool: string,
  message: string,
  details: { code: string; pauseId?: string; rule?: string },
): CallToolResult {
  return gatewayResult(`${message} The call to ${tool} did not run.`, {
    status: "error",
    code: details.code,
    ...(details.pauseId && { pause_id: details.pauseId }),
    ...(details.rule && { rule: details.rule }),
  });
}
