import type { ActionData } from "../protocol/action.ts";
import type { AuditEvent, AuditEventType } from "../protocol/audit-event.ts";
import type { BatchDecisionRequest, BatchDecisionResult } from "../protocol/batch-decision.ts";
import type { GrantRequest } from "../protocol/grant.ts";
import type { Pause } from "../protocol/pause.ts";
import type { GrantRecord, PauseQuery } from "../store/records.ts";
import type { KnownApprover } from "./governance/approvers.ts";
import type { DecisionRights } from "./governance/decision-rights.ts";
import type { GrantActor } from "./grants/create-grant.ts";
import type { GrantLimits } from "./policy-hook.ts";

/** Who decides, and through which channel. The identity is what the proof names in `decided_by.id`. */
export interface Approver {
  identity: string;
  channel: "api" | "web" | "slack" | "email" | "teams";
}

export interface DecideInput {
  decision: "approve" | "reject";
  reason?: string;
  /** Edited arguments (approve with edits). */
  data?: ActionData;
}

/**
 * The approval server's operations for in-process channels (Slack, e-mail,
 * the inbox). Every method enforces the same rules as the HTTP API:
 * `decide` is a compare-and-set (a late decider gets `already_decided`), a
 * requester can never decide its own pause (`forbidden`).
 */
export interface ApprovalService {
  /** The server's public URL, for links in cards and e-mails. */
  readonly baseUrl: string;
  getPause(pauseId: string): Promise<Pause | null>;
  listPauses(query: Omit<PauseQuery, "ownerKeyId">): Promise<{ items: Pause[]; nextCursor: string | null }>;
  decide(pauseId: string, input: DecideInput, approver: Approver): Promise<Pause>;
  /**
   * One decision for many pauses (`POST /v1/decisions`): each decided exactly as `decide` would
   * decide it alone, one result per pause, in order. Never rejects for an item's refusal.
   */
  decideBatch(request: BatchDecisionRequest, approver: Approver): Promise<BatchDecisionResult>;
  /** A known, active approver by identity or e-mail address (see `findApprover`); `null` for anyone else. */
  findApprover(identityOrEmail: string): Promise<KnownApprover | null>;
  /** Whether this person may decide this pause now: the answer `decide` enforces (`not_found` when there is no pause). */
  decisionRights(pauseId: string, identity: string): Promise<DecisionRights>;
  /** Of these pauses, the ones this person may decide now (each the answer `decisionRights` gives), in order. */
  decidablePauseIds(pauseIds: readonly string[], identity: string): Promise<string[]>;
  /** Whether the policy allows standing grants now, and for how long at most. */
  grantLimits(): GrantLimits;
  /** Grants a standing approval, as `POST /v1/grants` does (`createGrant`). */
  createGrant(request: GrantRequest, actor: GrantActor): Promise<GrantRecord>;
  /** Ends a standing grant, as `DELETE /v1/grants/{id}` does: its grantor or an admin. */
  revokeGrant(grantId: string, actor: GrantActor, reason?: string): Promise<GrantRecord>;
  /** Appends an audit event about a pause (e.g. `pause.notified`, `pause.viewed`). */
  recordEvent(
    pauseId: string,
    type: AuditEventType,
    actor: { kind: "human" | "system"; id: string },
    data?: Record<string, unknown>,
  ): Promise<void>;
  /** The audit events of one pause, oldest first (e.g. where a channel posted its cards). */
  listEvents(pauseId: string, type?: AuditEventType): Promise<AuditEvent[]>;
  /** Subscribes to changes of any pause; returns an unsubscribe function. */
  onPauseChanged(listener: (pause: Pause) => void): () => void;
  /**
   * Subscribes to the pauses this process opens or escalates, once each (in
   * the instance that made the change, not in every instance sharing the
   * store), after the channels are told: for notifications that find the
   * routed approvers themselves (web push). The listener's work is awaited
   * by `server.idle()`; a failure is logged and never fails the agent.
   */
  onPauseRouted(listener: (pause: Pause, event: "opened" | "escalated") => Promise<void> | void): () => void;
}
