import type { AuditEvent, Grant, Pause, Routing } from "@countersign/core";

export interface InboxSession {
  identity: string;
  role: "approver" | "admin";
  via: "api_key" | "link";
  expires_at: string;
  csrf_token: string;
  /** After a sign-in link: the inbox path to open. */
  next?: string | null;
}

export interface InboxPauseView {
  pause: Pause;
  requested_by: string | null;
  routing: Routing | null;
  approvals: { identity: string; channel: string; at: string }[];
  viewer: { identity: string; can_decide: boolean; note: string | null };
}

export interface ListPage<Item> {
  data: Item[];
  has_more: boolean;
  next_cursor: string | null;
}

/** A page of the list; `can_decide`: the ids of its pauses the signed-in approver may decide now. */
export interface PausePage extends ListPage<Pause> {
  can_decide: string[];
}
export type AuditPage = ListPage<AuditEvent>;

/** An approved action claimed but never reported (`/inbox/api/unreported-claims`). */
export interface UnreportedClaim {
  pause_id: string;
  agent_id: string;
  action_type: string;
  title: string;
  claimed_at: string;
  claimed_by: string | null;
}

/** A standing grant as the inbox lists it (`/inbox/api/grants`). */
export type InboxGrant = Grant & { can_revoke: boolean };

/** The policy's grant settings now. */
export interface GrantLimits {
  enabled: boolean;
  max_duration_seconds: number;
}

export interface GrantList extends ListPage<InboxGrant> {
  limits: GrantLimits;
}
