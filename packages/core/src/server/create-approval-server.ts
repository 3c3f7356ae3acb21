import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import type { Registry } from "prom-client";
import { createAuditCheckpointer } from "../audit/audit-checkpointer.ts";
import { createAuditWitness } from "../audit/audit-witness.ts";
import { buildEvidenceBundle } from "../audit/build-evidence-bundle.ts";
import type { ConsistencyProof } from "../audit/consistency-proof.ts";
import type { EvidenceBundle } from "../audit/evidence-bundle.ts";
import { CountersignError, isCountersignError } from "../errors/countersign-error.ts";
import { loadSigningKeys, type PrivateEd25519Jwk, publicJwkOf } from "../proof/signing-keys.ts";
import type { AuditCheckpointV2 } from "../protocol/audit-checkpoint.ts";
import type { PublicJwk } from "../protocol/keys.ts";
import type { Channel } from "../protocol/pause-request.ts";
import type { ApiKeyRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { createDeliveryWorker } from "../webhooks/delivery-worker.ts";
import type { ApprovalService } from "./approval-service.ts";
import { type IssueApiKeyOptions, issueApiKey } from "./auth/api-keys.ts";
import { createKeyLiveness } from "./auth/key-liveness.ts";
import { createChannelNotifier } from "./channel-notifier.ts";
import { createApprovalService } from "./create-approval-service.ts";
import { mountRouteFamily } from "./http/mount-routes.ts";
import { problemResponse } from "./http/problem.ts";
import type { Route, RouteFamily } from "./http/route.ts";
import { jsonLogger } from "./json-logger.ts";
import { requestLog } from "./observability/request-log.ts";
import { createServerMetrics } from "./observability/server-metrics.ts";
import { escalateDuePauses } from "./operations/escalate-pause.ts";
import { expireDuePauses, freshPause } from "./operations/expire-pause.ts";
import { createPauseWaiters } from "./pause-waiters.ts";
import { auditRoutes } from "./routes/audit-routes.ts";
import { channelRouteFamily } from "./routes/channel-routes.ts";
import { decisionRoutes } from "./routes/decision-routes.ts";
import { delegationRoutes } from "./routes/delegation-routes.ts";
import { eventsRoute } from "./routes/events-route.ts";
import { grantRoutes } from "./routes/grant-routes.ts";
import { identityRoutes } from "./routes/identity-routes.ts";
import { insightRoutes } from "./routes/insight-routes.ts";
import { metaRoutes } from "./routes/meta-routes.ts";
import { metricsRoute } from "./routes/metrics-route.ts";
import { pauseRoutes } from "./routes/pause-routes.ts";
import { receiptRoutes } from "./routes/receipt-routes.ts";
import { apiRouteFamily, type RouteDependencies } from "./routes/route-context.ts";
import { webhookEndpointRoutes } from "./routes/webhook-endpoint-routes.ts";
import { loadServerKeys, type ServerSecrets } from "./server-keys.ts";
import type { ApprovalServerOptions } from "./server-options.ts";
import { render, type ServiceContext } from "./service-context.ts";

export interface ApprovalServer {
  /** The web-standard handler: any runtime that speaks `fetch` can serve it. */
  fetch: (request: Request) => Promise<Response>;
  /** The Hono app (its routes come from route families: see `mount`). */
  app: Hono;
  /** Serves a family of declared routes (e.g. the inbox's); they join `/openapi.json`. Before the first request. */
  mount<Auth>(family: RouteFamily<Auth>): void;
  /** Every declared route the server serves, as `/openapi.json` documents them. */
  readonly routes: readonly Route<unknown>[];
  service: ApprovalService;
  /** The server's Prometheus registry (served at `GET /metrics` to admin keys; serve it elsewhere too if you like). */
  metrics: Registry;
  secrets: ServerSecrets;
  jwks: { keys: unknown[] };
  baseUrl: string;
  /** Issues an API key (see `IssueApiKeyOptions`: every key names its holder; agent keys their agent ids). */
  issueApiKey(options: Omit<IssueApiKeyOptions, "now">): Promise<{ key: string; record: ApiKeyRecord }>;
  /** Expires overdue pauses, escalates due ones and sends due webhooks once (tests and manual runs). */
  runBackgroundOnce(): Promise<void>;
  /**
   * A fresh v2 checkpoint of the audit log, signed with the checkpoint key
   * (`audit.checkpointKey`, else the server's Ed25519 key) once the log is
   * proven to extend the last checkpoint signed or witnessed; `audit_inconsistent` otherwise.
   */
  auditCheckpoint(): Promise<AuditCheckpointV2>;
  /** A consistency proof from the log's first `fromSize` events to a fresh checkpoint. */
  auditConsistency(fromSize: number): Promise<ConsistencyProof>;
  /** The evidence bundle of one pause (its own events with inclusion proofs, its proof, a signed checkpoint); `not_found` if none. */
  evidenceBundle(pauseId: string): Promise<EvidenceBundle>;
  /** Resolves when channel notifications in flight are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Builds the approval server over a store: migrates it, loads keys, starts the background work. */
export async function createApprovalServer(options: ApprovalServerOptions): Promise<ApprovalServer> {
  const { store } = options;
  const log = options.log ?? jsonLogger();
  const now = options.now ?? (() => new Date());
  const metrics = createServerMetrics();
  await store.migrate();
  const keys = await loadServerKeys(store, {
    ...(options.proofSecret && { proofSecret: options.proofSecret }),
    ...(options.webhookSecret && { webhookSecret: options.webhookSecret }),
    ...(options.ed25519Key && { ed25519: options.ed25519Key }),
  });
  const checkpointKey = await loadCheckpointKey(store, options.audit?.checkpointKey, keys.signing.ed25519);
  const checkpointPublic = checkpointKey.publicJwk;
  if (checkpointPublic && !keys.jwks.keys.some((jwk) => jwk.kid === checkpointPublic.kid)) {
    keys.jwks.keys.push(checkpointPublic);
  }
  const checkpointer = createAuditCheckpointer({
    store,
    key: checkpointKey.signing,
    ...(options.audit?.witness && { witness: createAuditWitness(options.audit.witness) }),
    now,
  });
  // Names this instance as the holder of leases (the expiry sweep).
  const instanceId = `srv_${randomUUID()}`;
  let baseUrl = options.baseUrl?.replace(/\/+$/, "") ?? "http://localhost";
  const worker = createDeliveryWorker({
    store,
    secret: keys.secrets.webhookSecret,
    allowPrivateTargets: options.webhooks?.allowPrivateTargets ?? false,
    ...(options.webhooks?.timeoutMs !== undefined && { timeoutMs: options.webhooks.timeoutMs }),
    ...(options.webhooks?.intervalMs !== undefined && { intervalMs: options.webhooks.intervalMs }),
    now,
    log,
    observe: {
      attempt: (outcome) => metrics.webhookAttempt(outcome),
      storeError: () => metrics.storeError("webhooks"),
    },
  });
  let service: ApprovalService | null = null;
  const notifier = createChannelNotifier({
    channels: options.channels ?? [],
    service: () => service!,
    baseUrl: () => baseUrl,
    log,
  });
  const context: ServiceContext = {
    store,
    keys,
    now,
    baseUrl: () => baseUrl,
    proofTtlSeconds: options.proofTtlSeconds ?? 900,
    policy: options.policy,
    allowedTargets: () => allowedTargets(options),
    log,
    wakeDeliveries: () => worker.wake(),
    metrics,
    allowPrivateWebhookTargets: options.webhooks?.allowPrivateTargets ?? false,
    onLifecycle: (record, event, recipients) => notifier.notify(record, event, recipients),
    onPauseRouted: (listener) => notifier.onRouted(listener),
  };
  service = createApprovalService(context);
  const waiters = createPauseWaiters(store);
  metrics.countWaiters(waiters.count);
  metrics.countQueuedDeliveries(() => store.countPendingDeliveries());
  const dependencies: RouteDependencies = {
    context,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    waitForChange: waiters.next,
    keyLiveness: createKeyLiveness(store),
    checkpointer,
  };

  const app = new Hono();
  app.use("*", requestLog(log, metrics));
  const logUnknown = (message: string, cause: unknown) => log.error(message, { error: describe(cause) });
  app.onError((error) => {
    if (isCountersignError(error, "store_unavailable")) metrics.storeError("request");
    return problemResponse(error, logUnknown);
  });
  app.notFound((c) =>
    problemResponse(new CountersignError("not_found", `No route ${c.req.method} ${c.req.path}`), logUnknown),
  );
  const routes: Route<unknown>[] = [];
  const mount = <Auth>(family: RouteFamily<Auth>) => {
    mountRouteFamily(app, family);
    routes.push(...(family.routes as Route<unknown>[]));
  };
  mount(
    apiRouteFamily(
      [
        ...pauseRoutes(dependencies),
        ...decisionRoutes(dependencies),
        ...receiptRoutes(dependencies),
        eventsRoute(dependencies),
        ...auditRoutes(dependencies),
        ...identityRoutes(dependencies),
        ...grantRoutes(dependencies),
        ...webhookEndpointRoutes(dependencies),
        ...delegationRoutes(dependencies),
        ...insightRoutes(dependencies),
        ...metaRoutes(dependencies, () => routes),
        metricsRoute(metrics),
      ],
      dependencies,
    ),
  );
  for (const channel of options.channels ?? []) {
    mount(channelRouteFamily(channel, service, dependencies.maxBodyBytes));
    await channel.start?.(service);
  }

  const sweep = async () => {
    await expireDuePauses(context, { holder: instanceId });
    await escalateDuePauses(context);
  };
  // The sweep in flight, if any: one at a time, and close() waits for it before the store goes away.
  let sweeping: Promise<void> | null = null;
  const sweeper =
    options.background === false
      ? null
      : setInterval(() => {
          if (sweeping) return;
          sweeping = sweep()
            .catch((error: unknown) => {
              metrics.storeError("sweep");
              log.error("expiry and escalation sweep failed", { error: describe(error) });
            })
            .finally(() => {
              sweeping = null;
            });
        }, options.expirySweepMs ?? 1000);
  sweeper?.unref();
  const auditCheckpoint = () => checkpointer.checkpoint();
  // Checkpoints in the log stream are witnesses outside the database: a later rewrite no longer matches them.
  let checkpointedSize = 0;
  let checkpointing = false;
  const checkpointInterval = options.checkpointIntervalMs ?? 3_600_000;
  const checkpointTimer =
    options.background === false || checkpointInterval <= 0
      ? null
      : setInterval(() => {
          if (checkpointing) return;
          checkpointing = true;
          auditCheckpoint()
            .then((checkpoint) => {
              // Only when the log grew: an unchanged head needs no new witness.
              if (checkpoint.size <= checkpointedSize) return;
              checkpointedSize = checkpoint.size;
              log.info("audit checkpoint", { checkpoint });
            })
            .catch((error: unknown) => log.error("audit checkpoint failed", { error: describe(error) }))
            .finally(() => {
              checkpointing = false;
            });
        }, checkpointInterval);
  checkpointTimer?.unref();
  if (options.background !== false) worker.start();

  return {
    fetch: (request) => Promise.resolve(app.fetch(request)),
    app,
    mount,
    routes,
    service,
    metrics: metrics.registry,
    secrets: keys.secrets,
    jwks: keys.jwks,
    get baseUrl() {
      return baseUrl;
    },
    set baseUrl(value: string) {
      baseUrl = value.replace(/\/+$/, "");
    },
    issueApiKey: (keyOptions) => issueApiKey(store, { ...keyOptions, now: now() }),
    async runBackgroundOnce() {
      await sweep();
      await worker.runOnce();
    },
    auditCheckpoint,
    auditConsistency: (fromSize) => checkpointer.consistency(fromSize),
    async evidenceBundle(pauseId) {
      const record = await freshPause(context, pauseId);
      if (!record) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
      return buildEvidenceBundle({
        store,
        pause: render(context, record),
        checkpoint: await checkpointer.checkpoint(),
        now: now(),
      });
    },
    idle: () => notifier.idle(),
    async close() {
      if (sweeper) clearInterval(sweeper);
      await sweeping;
      if (checkpointTimer) clearInterval(checkpointTimer);
      waiters.close();
      await worker.stop();
      for (const channel of options.channels ?? []) await channel.stop?.();
      await notifier.idle();
    },
  };
}

/** Configured targets, the channels' own and the policy file's, per channel. */
function allowedTargets(options: ApprovalServerOptions): Partial<Record<Channel, string[]>> {
  const targets: Partial<Record<Channel, string[]>> = {};
  const add = (channel: Channel, values: readonly string[]) => {
    targets[channel] = [...(targets[channel] ?? []), ...values];
  };
  for (const [channel, values] of Object.entries(options.allowedRecipientTargets ?? {})) {
    add(channel as Channel, values ?? []);
  }
  for (const channel of options.channels ?? []) add(channel.channel, channel.allowedTargets?.() ?? []);
  for (const recipient of options.policy?.allowedRecipients?.() ?? [])
    add(recipient.channel, [recipient.target]);
  return targets;
}

const CHECKPOINT_KEY_SETTING = "audit_checkpoint_key";

/**
 * The key that signs audit checkpoints. A configured key is never written to
 * the store; the store only remembers that one exists (and its kid), so a later
 * start without it fails instead of quietly signing with the key kept beside the log.
 */
async function loadCheckpointKey(
  store: Store,
  configured: PrivateEd25519Jwk | undefined,
  fallback: { kid: string; privateKey: CryptoKey },
): Promise<{ publicJwk: PublicJwk | null; signing: { kid: string; privateKey: CryptoKey } | Error }> {
  const marker = await store.getSetting(CHECKPOINT_KEY_SETTING);
  if (configured) {
    const publicJwk = await publicJwkOf(configured);
    if (marker === null) await store.putSettingIfAbsent(CHECKPOINT_KEY_SETTING, `external:${publicJwk.kid}`);
    const signing = await loadSigningKeys({ secret: "x".repeat(32), ed25519: configured });
    return { publicJwk, signing: signing.ed25519 };
  }
  if (marker?.startsWith("external:")) {
    // The server still runs; only signing a checkpoint is refused.
    return {
      publicJwk: null,
      signing: new CountersignError(
        "audit_inconsistent",
        `This store's audit checkpoints are signed with a key kept outside it (kid ${marker.slice(9)}): configure it (audit.checkpointKey, --checkpoint-key or COUNTERSIGN_CHECKPOINT_KEY). Nothing is signed with the key kept beside the log.`,
      ),
    };
  }
  return { publicJwk: null, signing: fallback };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
