import type { Action, ActionData, JsonValue, Proof } from "@countersign/verify";

// The pause as the node reads it (wire protocol v1). The source of truth is
// @countersign/core's zod schemas; these are plain types because the node ships
// without runtime dependencies. Proof, action and key types come from
// @countersign/verify, which the build bundles.

export type PauseStatus = "pending" | "approved" | "rejected" | "expired" | "cancelled";

export interface Pause {
  object: "pause";
  pause_id: string;
  status: PauseStatus;
  agent_id: string;
  action: Action;
  webhook_url: string | null;
  context: { [key: string]: JsonValue };
  created_at: string;
  expires_at: string;
  decision: {
    status: Exclude<PauseStatus, "pending">;
    /** As in the proof, plus `agent` for a pause its agent cancelled. */
    decided_by: { kind: string; id: string; channel?: string; [key: string]: JsonValue | undefined };
    reason: string | null;
    data: ActionData | null;
    decided_at: string;
  } | null;
  proof: Proof | null;
  links: { self: string; inbox: string; [key: string]: string };
  [key: string]: unknown;
}
