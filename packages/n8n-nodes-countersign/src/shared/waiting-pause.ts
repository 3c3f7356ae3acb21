import type { INode, IWorkflowExecutionCustomData } from "n8n-workflow";

// Which pause a waiting execution waits for is kept in the execution's own
// custom data: n8n persists it with the execution and hands it back to the
// resume webhook. The webhook accepts only a decision for that exact pause,
// so a genuine decision for another pause (or an earlier loop run) replayed
// to this resume URL cannot resume it.

/** One key per node, so several Countersign nodes in one workflow never share a slot. */
export function waitingPauseKey(node: INode): string {
  return `countersign_${node.id.replace(/[^A-Za-z0-9]/g, "")}`.slice(0, 50);
}

const RESERVED = "opening";

/**
 * Claims this node's custom data key before a pause is opened. n8n silently
 * drops keys past its limit of ten; then no decision could ever be matched,
 * so this reports `false` and the caller fails before opening anything.
 */
export function reserveWaitingSlot(customData: IWorkflowExecutionCustomData, node: INode): boolean {
  const key = waitingPauseKey(node);
  customData.set(key, RESERVED);
  return customData.get(key) === RESERVED;
}

/** Records the pause this execution waits for (in the slot reserved above). */
export function rememberWaitingPause(
  customData: IWorkflowExecutionCustomData,
  node: INode,
  pauseId: string,
): void {
  customData.set(waitingPauseKey(node), pauseId);
}

export function waitingPauseOf(customData: IWorkflowExecutionCustomData, node: INode): string | undefined {
  const value = customData.get(waitingPauseKey(node));
  return typeof value === "string" && value !== "" && value !== RESERVED ? value : undefined;
}
