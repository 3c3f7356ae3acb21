import type { Refusal } from "@countersign/core";
import { ToolMessage } from "@langchain/core/messages";
import type { CallSite } from "./pause-request.ts";

/*
 * What the model reads when a gated call did not run. Worded as a final
 * outcome, not an error to fix, so the model reports it instead of retrying.
 */

const DO_NOT_RETRY =
  "Do not call this tool again for this request. Tell the user it was not done, and why; " +
  "only try again if the user explicitly asks for a changed request.";

export function refusalText(toolName: string, refusal: Refusal): string {
  switch (refusal.kind) {
    case "rejected": {
      const by = refusal.decidedBy;
      if (by?.kind === "policy") {
        const rule = by.rule ?? by.id;
        const why = refusal.reason ? ` Reason: ${quote(refusal.reason)}` : "";
        return `The approval policy (rule ${rule}) denied this ${toolName} call, so it was NOT performed.${why} ${DO_NOT_RETRY}`;
      }
      const who = by ? ` (${by.id})` : "";
      const why = refusal.reason
        ? `Reviewer's reason: ${quote(refusal.reason)}`
        : "The reviewer gave no reason.";
      return `A human reviewer${who} rejected this ${toolName} call, so it was NOT performed. ${why} ${DO_NOT_RETRY}`;
    }
    case "expired":
      return `No reviewer approved this ${toolName} call before the approval request expired, so it was NOT performed. ${DO_NOT_RETRY}`;
    case "cancelled": {
      const why = refusal.reason ? ` Reason: ${quote(refusal.reason)}` : "";
      return `The approval request for this ${toolName} call was cancelled, so it was NOT performed.${why} ${DO_NOT_RETRY}`;
    }
    case "approval-expired":
      return `The approval for this ${toolName} call was valid until ${refusal.validUntil} and ran out before the call could run, so it was NOT performed. ${DO_NOT_RETRY}`;
  }
}

function quote(reason: string): string {
  const trimmed = reason.trim();
  return `"${trimmed}"${/[.!?]$/.test(trimmed) ? "" : "."}`;
}

export function refusalMessage(site: CallSite, refusal: Refusal): ToolMessage {
  return new ToolMessage({
    content: refusalText(site.toolName, refusal),
    name: site.toolName,
    tool_call_id: site.toolCallId,
    status: "error",
  });
}

/** A replayed or raced resume: the approved call ran once already and must not run again. */
export function alreadyRanMessage(site: CallSite, pauseId: string): ToolMessage {
  return new ToolMessage({
    content:
      `This approved ${site.toolName} call already ran once (approval ${pauseId}); it was not run again. ` +
      "Do not call it again for this request.",
    name: site.toolName,
    tool_call_id: site.toolCallId,
    status: "success",
  });
}
