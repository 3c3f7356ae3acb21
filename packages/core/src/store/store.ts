import type { MerkleNodeId } from "../audit/merkle-hash.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import type { Routing } from "../protocol/pause.ts";
import type { Execution } from "../protocol/receipt.ts";
import type {
  ApiKeyBinding,
  ApiKeyRecord,
  ApprovalVote,
  AuditInput,
  AuditQuery,
  DecisionUpdate,
  DelegationRecord,
  DelegationUse,
  DeliveryAttemptRecord,
  DeliveryRecord,
  DeliveryStatus,
  FollowUpOutcome,
  FollowUpRecord,
  GrantRecord,
  GrantUse,
  IdempotencyInput,
  IdentityRecord,
  PauseQuery,
  PauseRecord,
  PushSubscriptionRecord,
  StateChangeEffects,
  WebhookEndpointChanges,
  WebhookEndpointRecord,
  WebSessionRecord,
} from "./records.ts";

/**
 * The storage port. Every method is atomic: it commits entirely or not at all,
 * and it resolves only once its write is durable. A backend that cannot reach
 * its database rejects with `CountersignError("store_unavailable")`, never
 * with a half-written row. Audit events a method records commit in the same
 * transaction as the change they describe. Their place in the log — `seq`,
 * the hash chain and the Merkle tree — is given when they are *sealed*: at
 * once (SQLite, one writer) or by one sealer at a time soon after commit
 * (Postgres, so writers share no lock). Sealing never reorders what it has
 * sealed, leaves no gap and no duplicate; every audit read first waits until
 * every event acknowledged before it is sealed.
 */
export interface Store {
  /** Creates or upgrades the schema. Idempotent; safe when several processes start at once. */
  migrate(): Promise<void>;
  /** Resolves when the backend answers; rejects with `store_unavailable` otherwise. */
  ping(): Promise<void>;
  /**
   * Proves the store can still make a write durable (readiness): commits a
   * small write and resolves, or rejects with `store_unavailable` when the
   * database is locked, read-only, gone or replaced.
   */
  probeWrite(at: string): Promise<void>;
  close(): Promise<void>;

  /**
   * Inserts a pause together with its audit event (and the events in `moreAudit`).
   * With `idempotency`, keyed by (scope, key):
   * - unseen key → inserts; `{ created: true }`.
   * - same key and same `requestHash` → writes nothing, returns the first pause; `{ created: false }`.
   * - same key, another `requestHash` → rejects with `idempotency_conflict`.
   * Of concurrent creates with one key exactly one inserts.
   * `deliveries` (endpoint messages for `pause.opened`) are enqueued only when it inserts.
   */
  createPause(
    pause: PauseRecord,
    options: { idempotency?: IdempotencyInput; audit: AuditInput[]; deliveries?: DeliveryRecord[] },
  ): Promise<{ pause: PauseRecord; created: boolean }>;

  getPause(pauseId: string): Promise<PauseRecord | null>;

  /** Newest first (createdAt, then pauseId, descending), with an opaque cursor for the next page. */
  listPauses(query: PauseQuery): Promise<{ items: PauseRecord[]; nextCursor: string | null }>;

  /**
   * Compare-and-set from `pending`: writes the decision only if the pause is
   * still pending. In the same transaction it enqueues `delivery` and `deliveries` (if given)
   * and appends `audit`. Of concurrent callers exactly one gets `ok: true`;
   * the others get `ok: false` and the pause as it now is. `null` when there
   * is no such pause. A successful decision notifies subscribers. With
   * `delegation`, nothing is written unless that delegation is active at its
   * `at`, checked inside the transaction (`ok: false, delegationEnded: true`).
   */
  decide(
    pauseId: string,
    update: DecisionUpdate,
    effects: StateChangeEffects & { delegation?: DelegationUse },
  ): Promise<{ ok: boolean; pause: PauseRecord; delegationEnded?: true } | null>;

  /**
   * Single-use execution claim: sets `claimedAt` only if the pause is
   * `approved` and not yet claimed (and `claimedBy`, the claiming key, when
   * given), appending `audit` in the same transaction.
   * Of concurrent callers exactly one gets `ok: true`. `null` when no such pause.
   */
  claim(
    pauseId: string,
    at: string,
    audit: AuditInput,
    claimedBy?: string,
  ): Promise<{ ok: boolean; pause: PauseRecord } | null>;

  /**
   * Once-only execution receipt: stores `execution` only if the pause is
   * claimed and has no receipt yet, enqueuing `delivery` (if given) and
   * appending `audit` in the same transaction. Of concurrent callers exactly
   * one gets `ok: true`; the others get `ok: false` and the pause as it now
   * is. `null` when no such pause. A recorded receipt notifies subscribers.
   */
  recordExecution(
    pauseId: string,
    execution: Execution,
    effects: StateChangeEffects,
  ): Promise<{ ok: boolean; pause: PauseRecord } | null>;

  /**
   * Records routing details on a pending pause (governance): merges `routing`
   * (top-level fields replace the recorded ones) and appends `audit`.
   * Returns the pause, or `null` when there is none.
   */
  updateRouting(pauseId: string, routing: Partial<Routing>, audit: AuditInput[]): Promise<PauseRecord | null>;

  /**
   * Single-use escalation claim: the pending pauses whose `escalateAt <= now`
   * (soonest first, at most `limit`), with their `escalateAt` cleared in the
   * same transaction, so each is handed out once, also to concurrent callers
   * in other processes.
   */
  claimDueEscalations(now: string, limit: number): Promise<PauseRecord[]>;

  /** Pending pauses with `expiresAt <= now`, oldest expiry first, at most `limit`. */
  listExpired(now: string, limit: number): Promise<PauseRecord[]>;

  /** Calls `listener` after a pause changes (created, decided, claimed), here and, for shared stores, in every process. Returns an unsubscribe function. */
  subscribe(listener: (pauseId: string) => void): () => void;

  createApiKey(key: ApiKeyRecord): Promise<void>;
  /** The key whose hash equals `hash`, revoked or not; `null` if none. */
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** The keys held by `identity` (compared without letter case), revoked or not. */
  listApiKeysByIdentity(identity: string): Promise<ApiKeyRecord[]>;
  /** Sets `revokedAt`; false when no such key. */
  revokeApiKey(keyId: string, at: string): Promise<boolean>;
  /** Replaces a live key's identity and bindings; false when no such key or it is revoked. */
  updateApiKeyBinding(keyId: string, binding: ApiKeyBinding): Promise<boolean>;

  /** Starts a web session. Sessions past their expiry may be purged here. */
  createWebSession(session: WebSessionRecord): Promise<void>;
  getWebSession(sessionHash: string): Promise<WebSessionRecord | null>;
  /** Ends a session (sign-out); keeps the first end time; false when no such session. */
  endWebSession(sessionHash: string, at: string): Promise<boolean>;

  /**
   * Saves a Web Push subscription, replacing any with the same endpoint (a
   * device that subscribes again, or that another approver signs in on).
   */
  putPushSubscription(subscription: PushSubscriptionRecord): Promise<void>;
  /** The subscriptions of `identity` (compared without letter case), oldest first; every one without an identity. */
  listPushSubscriptions(identity?: string): Promise<PushSubscriptionRecord[]>;
  /**
   * Removes the subscription at `endpoint`; with `identity`, only if it is
   * that approver's (compared without letter case). False when nothing was removed.
   */
  deletePushSubscription(endpoint: string, identity?: string): Promise<boolean>;

  /**
   * Leases up to `limit` deliveries that are `pending`, due (`nextAttemptAt <= now`)
   * and not leased (`leaseUntil` null or past), setting `leaseUntil = now + leaseMs`.
   * Two concurrent callers never lease the same delivery.
   */
  leaseDueDeliveries(now: string, limit: number, leaseMs: number): Promise<DeliveryRecord[]>;
  /**
   * Records one attempt and the delivery's next state (status, next attempt,
   * last status/error, attempts + 1), releases the lease, and appends `audit`, atomically.
   */
  recordDeliveryAttempt(
    attempt: DeliveryAttemptRecord,
    next: { status: DeliveryStatus; nextAttemptAt: string | null },
    audit: AuditInput,
  ): Promise<void>;
  getDelivery(deliveryId: string): Promise<DeliveryRecord | null>;
  listDeliveries(pauseId: string): Promise<DeliveryRecord[]>;
  listDeliveryAttempts(deliveryId: string): Promise<DeliveryAttemptRecord[]>;
  /**
   * How many deliveries are `pending` (waiting for their first attempt or a
   * retry, leased or not), read now: the whole shared outbox, not one
   * process's share. Served as the `countersign_webhook_queue_depth` gauge.
   */
  countPendingDeliveries(): Promise<number>;
  /** Makes a delivery pending and due at `now` again (manual redelivery), appending `audit`. */
  redeliver(deliveryId: string, now: string, audit: AuditInput): Promise<DeliveryRecord | null>;

  /**
   * Records a follow-up owed to one recipient (e.g. "Decided: approved by
   * Bob" by e-mail). Idempotent on (pauseId, channel, target): `false`, and
   * nothing written, when there is one already.
   */
  addFollowUp(followUp: FollowUpRecord): Promise<boolean>;
  /**
   * Leases up to `limit` follow-ups of `channel` that are `waiting`, due
   * (`nextAttemptAt <= now`), not leased (`leaseUntil` null or past) and
   * whose pause is no longer `pending`, setting `leaseUntil = now + leaseMs`.
   * Oldest due first. Two concurrent callers never lease the same follow-up.
   */
  leaseDueFollowUps(channel: string, now: string, limit: number, leaseMs: number): Promise<FollowUpRecord[]>;
  /**
   * Records one attempt: the new status, next attempt time and last error,
   * attempts + 1, `doneAt` when it leaves `waiting`; releases the lease.
   * Rejects with `not_found` when there is no such follow-up.
   */
  finishFollowUp(followUpId: string, outcome: FollowUpOutcome): Promise<void>;
  /** The follow-ups of a pause, oldest first. */
  listFollowUps(pauseId: string): Promise<FollowUpRecord[]>;

  /** Records one event on its own and resolves with it sealed: `seq` = last + 1, `prev_hash` = last hash. */
  appendAudit(input: AuditInput): Promise<AuditEvent>;
  /** Sealed events in `seq` order, including every event acknowledged before the call. */
  listAudit(query: AuditQuery): Promise<AuditEvent[]>;
  /**
   * Hashes (32 bytes) of complete subtrees of the sealed log's RFC 9162
   * Merkle tree, keyed `level:index` (see audit/merkle-hash.ts). An id whose
   * subtree is not complete yet is absent from the map. Stored rows never change.
   */
  auditTreeNodes(ids: readonly MerkleNodeId[]): Promise<Map<string, Uint8Array>>;

  /**
   * A named lease for work that one instance should do at a time (the expiry
   * sweep). `true` when `holder` holds `name` until `now + leaseMs`: it was
   * free, had run out, or was already `holder`'s (then renewed). Of
   * concurrent callers for a free lease exactly one gets `true`.
   */
  acquireLease(name: string, holder: string, now: string, leaseMs: number): Promise<boolean>;

  /** A named setting (e.g. signing keys), or null. */
  getSetting(name: string): Promise<string | null>;
  /** Stores `value` under `name` unless one is there; returns the value that is stored (first writer wins). */
  putSettingIfAbsent(name: string, value: string): Promise<string>;
  /** Stores `value` under `name`, replacing what was there (operator actions such as key rotation). */
  putSetting(name: string, value: string): Promise<void>;

  /**
   * Records one person's approval toward a quorum on a pending pause, with
   * `audit`, atomically; each identity counts at most once per pause.
   * `added`: written; `duplicate`: this identity had already approved (nothing
   * written); `not_pending`: the pause is decided (nothing written). Returns
   * every approval so far, oldest first; `null` when there is no such pause.
   * An added approval notifies subscribers.
   *
   * A vote takes the seat of its identity and of its `onBehalfOf`: it is a
   * `duplicate` when an earlier vote was cast by, or on behalf of, either of
   * them (a delegator and their delegate together count once). With
   * `delegation`, nothing is written unless that delegation is active at its
   * `at`, checked inside the transaction (`delegation_ended`).
   */
  addApproval(
    vote: ApprovalVote,
    audit: AuditInput,
    guard?: { delegation?: DelegationUse },
  ): Promise<{
    outcome: "added" | "duplicate" | "not_pending" | "delegation_ended";
    approvals: ApprovalVote[];
  } | null>;
  /** Approvals recorded for a pause, oldest first. */
  listApprovals(pauseId: string): Promise<ApprovalVote[]>;

  /** Inserts or replaces the identity with this `identity` id. */
  putIdentity(identity: IdentityRecord): Promise<void>;
  getIdentity(identity: string): Promise<IdentityRecord | null>;
  findIdentityBySlackUser(slackUserId: string): Promise<IdentityRecord | null>;
  /** The identity mapped to this Teams account (Entra object id, lower case), or null. */
  findIdentityByTeamsUser(teamsUserId: string): Promise<IdentityRecord | null>;
  /** Every identity, ordered by `identity`. */
  listIdentities(): Promise<IdentityRecord[]>;
  /** False when there was none. */
  deleteIdentity(identity: string): Promise<boolean>;

  /**
   * Spends a single-use token (a sign-in or e-mail decision link): `true` the
   * first time `tokenId` is consumed, `false` on every later call, also under
   * concurrency. Entries past `expiresAt` may be purged: callers must refuse
   * expired tokens themselves before consuming.
   */
  consumeToken(tokenId: string, expiresAt: string): Promise<boolean>;

  /** Inserts a standing grant, with its audit events (`grant.created`). */
  createGrant(grant: GrantRecord, audit: AuditInput[]): Promise<void>;
  getGrant(grantId: string): Promise<GrantRecord | null>;
  /**
   * Grants, newest first (createdAt, then grantId). With `activeAt`: only
   * those neither revoked nor expired at that instant (exhausted ones included).
   */
  listGrants(query: { activeAt?: string }): Promise<GrantRecord[]>;
  /**
   * Revokes a grant (first revocation wins: `revokedAt`/`revokedBy` are kept),
   * appending `audit` only when this call revoked it. `null` when no such grant.
   */
  revokeGrant(
    grantId: string,
    at: string,
    by: string,
    audit: AuditInput[],
  ): Promise<{ revoked: boolean; grant: GrantRecord } | null>;
  /**
   * Decides a pending pause under a grant, in one transaction: consumes one use
   * of the grant (count + 1, total + `use.amount`) only while it is unrevoked,
   * unexpired at `use.at`, and stays within `maxCount` and `maxTotal` (the guard
   * is in the write itself, so concurrent uses can never overrun it), then
   * compare-and-sets the pause from `pending` (as `decide`), enqueueing
   * `delivery` and appending `audit`. Both happen or neither:
   * `decided`; `grant_unavailable` (nothing written); `not_pending` (nothing
   * written, the pause as it now is). `null` when there is no such pause or grant.
   */
  decideWithGrant(
    pauseId: string,
    use: GrantUse,
    update: DecisionUpdate,
    effects: StateChangeEffects,
  ): Promise<{
    outcome: "decided" | "grant_unavailable" | "not_pending";
    pause: PauseRecord;
    grant: GrantRecord;
  } | null>;

  /** Registers an endpoint, with its audit events. */
  createWebhookEndpoint(endpoint: WebhookEndpointRecord, audit: AuditInput[]): Promise<void>;
  getWebhookEndpoint(endpointId: string): Promise<WebhookEndpointRecord | null>;
  /** Every endpoint, oldest first (createdAt, then endpointId). With `enabledOnly`, only enabled ones. */
  listWebhookEndpoints(query?: { enabledOnly?: boolean }): Promise<WebhookEndpointRecord[]>;
  /** Applies `changes` and appends `audit`, atomically; `null` when there is no such endpoint. */
  updateWebhookEndpoint(
    endpointId: string,
    changes: WebhookEndpointChanges,
    audit: AuditInput[],
  ): Promise<WebhookEndpointRecord | null>;
  /**
   * Removes an endpoint and appends `audit`; false when there was none. Its
   * queued deliveries stay (the attempt log), and are not sent any more.
   */
  deleteWebhookEndpoint(endpointId: string, audit: AuditInput[]): Promise<boolean>;
  /**
   * Inserts a delegation with its audit events, unless an unrevoked delegation
   * the other way (from its `to` to its `from`) overlaps its period: then
   * nothing is written and that delegation is returned as `reverse`. The check
   * and the insert are one atomic step, so two people delegating to each other
   * at once cannot both succeed.
   */
  createDelegation(
    delegation: DelegationRecord,
    audit: AuditInput[],
  ): Promise<{ created: true } | { created: false; reverse: DelegationRecord }>;
  getDelegation(delegationId: string): Promise<DelegationRecord | null>;
  /**
   * Delegations, newest first (createdAt, then delegationId). `activeAt`: only
   * unrevoked ones whose period contains that instant. `involving`: only those
   * from or to this identity (letter case ignored).
   */
  listDelegations(query: { activeAt?: string; involving?: string }): Promise<DelegationRecord[]>;
  /**
   * Revokes a delegation (first revocation wins), appending `audit` only when
   * this call revoked it. Once this resolves, no decision through it commits.
   * `null` when no such delegation.
   */
  revokeDelegation(
    delegationId: string,
    at: string,
    by: string,
    audit: AuditInput[],
  ): Promise<{ revoked: boolean; delegation: DelegationRecord } | null>;

  /** The newest sealed audit event (the chain head; every event acknowledged before the call is sealed), or `null` when the log is empty. */
  auditHead(): Promise<AuditEvent | null>;
}
