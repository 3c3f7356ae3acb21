import { ToolGateError } from "@countersign/core";

/** A request from a client-supplied history that the SDK did not sign: no pause is opened or looked up for it. */
export function unsignedApproval(toolName: string, toolCallId: string): ToolGateError {
  return new ToolGateError(
    "security",
    "not_approved",
    `${toolName} (call ${toolCallId}) did not run: its approval request carries no valid experimental_toolApprovalSecret signature, so it was not issued by this server; no approval was requested`,
    { toolName, toolCallId },
  );
}
