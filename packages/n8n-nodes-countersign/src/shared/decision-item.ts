import { approvalIsCurrent, type Proof } from "@countersign/verify";
import type { IDataObject, INodeExecutionData } from "n8n-workflow";
import type { Pause } from "./wire-types.ts";

export const APPROVED_OUTPUT = 0;
export const REJECTED_OUTPUT = 1;

/** What downstream nodes receive on either branch. */
export interface DecisionJson extends IDataObject {
  decision: "approved" | "rejected" | "expired" | "cancelled";
  approved: boolean;
  pause_id: string;
  approver: { kind: string; id: string; channel: string | null } | null;
  reason: string | null;
  /** The arguments to run with: the approver's edits, else the requested data. */
  data: IDataObject | null;
  edited: boolean;
  decided_at: string | null;
  proof: IDataObject | null;
  inbox_url: string | null;
}

/**
 * Routes a decided pause whose proof (if any) has been verified. Only an
 * approval with a current proof goes to Approved; everything else — a
 * rejection, an expiry, a cancellation, an approval that arrived after its
 * proof's `valid_until` — goes to Rejected. Nothing fails open.
 */
export function decisionItem(
  pause: Pause,
  proof: Proof | null,
  now: Date = new Date(),
): { output: typeof APPROVED_OUTPUT | typeof REJECTED_OUTPUT; item: INodeExecutionData } {
  const decider = proof?.decided_by ?? pause.decision?.decided_by ?? null;
  let decision: DecisionJson["decision"] = pause.status === "pending" ? "rejected" : pause.status;
  let reason = proof?.reason ?? pause.decision?.reason ?? null;
  const approved =
    pause.status === "approved" &&
    proof !== null &&
    proof.decision === "approved" &&
    approvalIsCurrent(proof, { now });
  if (pause.status === "approved" && !approved) {
    decision = "expired";
    reason = proof
      ? `The approval was valid until ${proof.valid_until} and arrived too late to act on`
      : "The approval carried no proof";
  }
  const edited = proof?.data != null;
  const json: DecisionJson = {
    decision,
    approved,
    pause_id: pause.pause_id,
    approver: decider ? { kind: decider.kind, id: decider.id, channel: decider.channel ?? null } : null,
    reason,
    data: ((edited ? proof?.data : pause.action.data) ?? null) as IDataObject | null,
    edited,
    decided_at: pause.decision?.decided_at ?? proof?.issued_at ?? null,
    proof: proof as IDataObject | null,
    inbox_url: pause.links?.inbox ?? null,
  };
  return { output: approved ? APPROVED_OUTPUT : REJECTED_OUTPUT, item: { json, pairedItem: { item: 0 } } };
}

/** Both outputs, with the item on the one it was routed to. */
export function routed(output: number, item: INodeExecutionData): INodeExecutionData[][] {
  return output === APPROVED_OUTPUT ? [[item], []] : [[], [item]];
}
