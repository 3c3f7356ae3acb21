import type { Action, ActionData, Proof } from "@countersign/verify";

/** What the handler gets once a request is approved and claimed. */
export interface Approval {
  pauseId: string;
  /** The pause id: pass it to the downstream provider as its idempotency key, so a retry cannot pay twice. */
  idempotencyKey: string;
  proofId: string;
  proof: Proof;
  /** The action as approved (the approver's edits applied); the request matched it exactly. */
  action: Action;
  /** The approved arguments (`action.data`). */
  data: ActionData;
  /** The result to commit to in the receipt: its `sha256:` digest (RFC 8785 canonical JSON) is reported, not the result. */
  setResult(result: unknown): void;
}
