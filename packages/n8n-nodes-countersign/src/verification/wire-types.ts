// The parts of Countersign's wire protocol (v1) the node reads. The source of
// truth is @countersign/core's zod schemas; these are plain types because the
// node ships without runtime dependencies.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ActionData = { [key: string]: JsonValue };

export interface Action {
  type: string;
  title?: string;
  description?: string;
  body?: string;
  data?: ActionData;
  risk?: "low" | "medium" | "high" | "critical";
}

export interface Decider {
  kind: "human" | "policy" | "timeout";
  id: string;
  channel?: string;
  rule?: string;
  [key: string]: JsonValue | undefined;
}

export interface Proof {
  v: number;
  proof_id: string;
  pause_id: string;
  agent_id: string;
  action_digest: string;
  decision: "approved" | "rejected" | "expired";
  human_response: boolean;
  decided_by: Decider;
  reason: string | null;
  data: ActionData | null;
  issued_at: string;
  valid_until: string;
  kid: string;
  signature: string;
  signatures: { alg: "Ed25519"; kid: string; sig: string }[];
  [key: string]: unknown;
}

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

export interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  [key: string]: unknown;
}
