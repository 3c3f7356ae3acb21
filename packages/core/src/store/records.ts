import type { Action, Risk } from "../protocol/action.ts";
import type { AuditActor, AuditEventType } from "../protocol/audit-event.ts";
import type { Decision, PauseStatus, Routing } from "../protocol/pause.ts";
import type { Recipient } from "../protocol/pause-request.ts";
import type { Proof } from "../protocol/proof.ts";
import type { Execution } from "../protocol/receipt.ts";

export type JsonObject = Record<string, unknown>;

/** A pause as the store keeps it (camelCase; the server renders the wire shape). */
export interface PauseRecord {
  pauseId: string;
  status: PauseStatus;
  agentId: string;
  action: Action;
  /** `sha256:<hex>` of the action as requested. */
  actionDigest: string;
  recipients: Recipient[];
  webhookUrl: string | null;
  context: JsonObject;
  metadata: JsonObject;
  /** The API key that opened it: agents see only their own pauses. */
  ownerKeyId: string | null;
  /** Identity behind that key (the requester); it may never approve its own pause. */
  requestedBy: string | null;
  /**
   * Policy routing recorded at open time (governance); null without a policy.
   * The stores read it with `readRouting` as they read the row, so it is always typed.
   */
  routing: Routing | null;
  createdAt: string;
  expiresAt: string;
  decision: Decision | null;
  proof: Proof | null;
  claimedAt: string | null;
  /** The API key that claimed it (an agent or an executor); absent when unclaimed, or claimed before receipts existed. */
  claimedBy?: string | null;
  /** The signed execution receipt, once the claimer reported how the action ended; absent before. */
  execution?: Execution | null;
  /** When this pending pause is due for escalation (a policy's `escalate_after`); absent once claimed. */
  escalateAt?: string | null;
}

/**
 * `executor`: a service where the action happens (a payment API) that may
 * read a pause, claim it and report its receipt, and nothing else.
 */
export type ApiKeyRole = "agent" | "approver" | "admin" | "executor";

export interface ApiKeyRecord {
  keyId: string;
  /** Hex SHA-256 of the whole secret key; the secret itself is never stored. */
  hash: string;
  role: ApiKeyRole;
  /** Who holds it: an approver's identity (e-mail) or an agent's owner. Required for every new key. */
  identity: string | null;
  name: string | null;
  /**
   * Agent keys: the agent ids (exact, or globs such as `billing-*`) this key
   * may open pauses as. `null` for other roles, and for agent keys made
   * before keys were bound, which open nothing until an admin binds them.
   */
  agentIds: string[] | null;
  /** Agent keys: the action types (globs) this key may request; `null`: any type. */
  actionTypes: string[] | null;
  createdAt: string;
  revokedAt: string | null;
}

/** What `keys update` may change on a key (the migration path for keys made before binding). */
export type ApiKeyBinding = Pick<ApiKeyRecord, "identity" | "agentIds" | "actionTypes">;

/**
 * A signed-in web session (the inbox). The cookie carries a random token;
 * the store keeps only its hash. Everything that decides what the session
 * may do is read again on every request, so sign-out and revocation take
 * effect at once.
 */
export interface WebSessionRecord {
  /** Hex SHA-256 of the session token; the token itself is never stored. */
  sessionHash: string;
  identity: string;
  via: "api_key" | "link";
  /** The API key signed in with (`via: "api_key"`): the session ends when the key is revoked. */
  keyHash: string | null;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
}

/** A browser's Web Push subscription for an approver (the inbox's "Notify me on this device"). */
export interface PushSubscriptionRecord {
  /** The push service URL the browser gave; one device, one subscription (the key). */
  endpoint: string;
  /** The approver it notifies. */
  identity: string;
  /** The browser's P-256 public key (base64url): payloads are encrypted to it. */
  p256dh: string;
  /** The browser's authentication secret (base64url). */
  auth: string;
  createdAt: string;
}

export type DeliveryStatus = "pending" | "delivered" | "failed" | "disabled";

/** One webhook message in the durable outbox. `deliveryId` is the Standard Webhooks `webhook-id`. */
export interface DeliveryRecord {
  deliveryId: string;
  pauseId: string;
  /** The registered endpoint it goes to (signed with that endpoint's secret), or null for the pause's own `webhook_url`. */
  endpointId: string | null;
  url: string;
  /** The exact JSON body to send. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  leaseUntil: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
}

export type FollowUpStatus = "waiting" | "sent" | "skipped" | "failed";

/**
 * A message owed to one recipient of a pause once it leaves `pending` (the
 * e-mail channel's "Decided: approved by Bob"), kept in the store so a
 * restart or a crash loses none. At most one per pause, channel and target.
 */
export interface FollowUpRecord {
  followUpId: string;
  pauseId: string;
  /** The channel that sends it, e.g. `email`. */
  channel: string;
  /** Where it goes, as the channel normalised it (e.g. a lower-case e-mail address). */
  target: string;
  /** Who the recipient is: none goes to whoever decided. */
  identity: string;
  /** What it follows up, e.g. the first e-mail's Message-ID (for threading); null when unknown. */
  reference: string | null;
  status: FollowUpStatus;
  attempts: number;
  /** Not before this time (retries back off). */
  nextAttemptAt: string;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  /** When it left `waiting`. */
  doneAt: string | null;
}

/** What one attempt at a follow-up came to. */
export interface FollowUpOutcome {
  status: FollowUpStatus;
  /** When to try again, for `waiting`. */
  nextAttemptAt: string;
  lastError: string | null;
  at: string;
}
/** What a change to a pause enqueues and records with it, in the same transaction. */
export interface StateChangeEffects {
  /** The `pause.decided` message to the pause's own `webhook_url`. */
  delivery?: DeliveryRecord;
  /** Messages to registered webhook endpoints. */
  deliveries?: DeliveryRecord[];
  audit: AuditInput[];
}

/**
 * A registered webhook endpoint (Stripe style). The server signs with the
 * secret, so it keeps it (HMAC has no public half); it never returns it
 * after create and rotate.
 */
export interface WebhookEndpointRecord {
  endpointId: string;
  url: string;
  events: string[];
  /** Globs on the pause's agent id and action type; null fields match everything. */
  filter: { agentId: string | null; actionType: string | null } | null;
  description: string | null;
  status: "enabled" | "disabled";
  /** `whsec_` secret the deliveries are signed with. */
  secret: string;
  /** The secret before the last rotation, also signed with until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  /** The admin key that registered it. */
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** What `updateWebhookEndpoint` may change. */
export type WebhookEndpointChanges = Partial<
  Pick<
    WebhookEndpointRecord,
    | "url"
    | "events"
    | "filter"
    | "description"
    | "status"
    | "secret"
    | "previousSecret"
    | "previousSecretExpiresAt"
  >
> & { updatedAt: string };

export interface DeliveryAttemptRecord {
  deliveryId: string;
  attempt: number;
  at: string;
  /** HTTP status, or null when no response came. */
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** What a caller gives to append an audit event; the store fills in `seq`, hashes and `event_id`. */
export interface AuditInput {
  type: AuditEventType;
  pauseId: string | null;
  agentId: string | null;
  actor: AuditActor;
  at: string;
  data: JsonObject;
}

export interface IdempotencyInput {
  /** Keys are per API key: two agents may use the same key. */
  scope: string;
  key: string;
  /** Hex SHA-256 of the canonical request body. */
  requestHash: string;
}

export interface PauseQuery {
  status?: PauseStatus;
  /** Every status but `pending` (approved, rejected, expired, cancelled). Ignored when `status` is given. */
  decided?: boolean;
  agentId?: string;
  actionType?: string;
  /** The agent-declared `action.risk`; `null` matches pauses that state none. */
  risk?: Risk | null;
  /**
   * Text search: pauses whose id, agent id, action type, title or description,
   * or any string or number anywhere in `action.data` contains this text.
   * Case-insensitive for ASCII letters in every backend (Postgres also folds
   * other letters).
   */
  text?: string;
  ownerKeyId?: string;
  /** Claimed pauses with no execution receipt yet (reconciliation after a crash between claim and action). */
  claimedWithoutReceipt?: boolean;
  /** Only pauses claimed at or before this instant. */
  claimedBefore?: string;
  /** 1..100. */
  limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface AuditQuery {
  /** Events with `seq` greater than this (cursor). */
  afterSeq?: number;
  pauseId?: string;
  agentId?: string;
  actorId?: string;
  type?: AuditEventType;
  since?: string;
  until?: string;
  /** 1..1000. */
  limit: number;
}

export type DecisionUpdate = Pick<PauseRecord, "decision" | "proof"> & {
  status: Exclude<PauseStatus, "pending">;
};

/** One person's approval toward a quorum (governance `approvals_required`). */
export interface ApprovalVote {
  pauseId: string;
  identity: string;
  channel: string;
  at: string;
  /** Edited arguments that came with this approval, if any. */
  data: JsonObject | null;
  /** When a delegate voted: the approver they stood in for (that approver's seat is taken too). */
  onBehalfOf?: string | null;
}

/** A person who may approve: how channels recognise them, and the groups policy routes to. */
export interface IdentityRecord {
  /** Stable id, usually the e-mail address; what proofs name in `decided_by.id`. */
  identity: string;
  email: string | null;
  slackUserId: string | null;
  /** Entra object id of the Teams account, lower case; absent or null when none is mapped. */
  teamsUserId?: string | null;
  displayName: string | null;
  groups: string[];
  createdAt: string;
  updatedAt: string;
}

/**
 * A standing grant: one approver's bounded approval of future pauses that
 * fit it (agents, action type, conditions), up to a count and a total, until
 * it expires or is revoked. `usedCount`/`usedTotal` only grow, and only
 * through `Store.decideWithGrant`.
 */
export interface GrantRecord {
  grantId: string;
  /** The approver who granted it (an identity); named in every proof it issues. */
  grantedBy: string;
  /** Agent ids or globs. */
  agentIds: string[];
  /** An action type or glob. */
  actionType: string;
  /** Conditions on `action.data` as written (the policy's condition language). */
  conditions: string[];
  maxCount: number | null;
  maxTotal: { field: string; max: number } | null;
  usedCount: number;
  usedTotal: number;
  reason: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** One use of a grant: `amount` is added to its total (0 when it has no `maxTotal`). */
export interface GrantUse {
  grantId: string;
  amount: number;
  at: string;
}

/**
 * A delegation: while `from` is away (`startsAt` to `endsAt`), `to` may decide
 * what policy routes to `from`, for the action types in `actionTypes` (every
 * type when null). One hop only: a delegate's own delegations are not followed.
 */
export interface DelegationRecord {
  delegationId: string;
  /** The delegator: the approver whose approvals are handed over. */
  from: string;
  /** The delegate. */
  to: string;
  startsAt: string;
  endsAt: string;
  /** Action type globs, or null for every type. */
  actionTypes: string[] | null;
  reason: string | null;
  /** The delegator, or the admin who set it up for them. */
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

/**
 * A decision made through a delegation: the store writes it only while the
 * delegation is unrevoked and `at` lies in its period, checked in the same
 * transaction as the write (a revocation that committed first stops it).
 */
export interface DelegationUse {
  delegationId: string;
  at: string;
}
