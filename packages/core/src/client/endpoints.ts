import { CountersignError } from "../errors/countersign-error.ts";
import { type JwkSet, JwkSetSchema } from "../protocol/keys.ts";
import {
  type Claim,
  ClaimSchema,
  type Pause,
  type PauseList,
  PauseListSchema,
  PauseSchema,
} from "../protocol/pause.ts";
import type { PauseRequest } from "../protocol/pause-request.ts";
import type { Http, RetryPolicy } from "./http.ts";
import type {
  CancelOptions,
  ClaimOptions,
  CreatePauseOptions,
  DecideOptions,
  GetPauseOptions,
  ListPausesOptions,
  RecordReceiptOptions,
  SignalOption,
} from "./types.ts";

/** The server's limit for `?wait=`. */
export const MAX_WAIT_SECONDS = 60;

function pausePath(pauseId: string, rest = ""): string {
  return `/v1/pauses/${encodeURIComponent(pauseId)}${rest}`;
}

/** Opens a pause. Retried once on a transient failure with the same idempotency key, so it is opened once. */
export function createPause(
  http: Http,
  request: PauseRequest,
  options: CreatePauseOptions = {},
): Promise<Pause> {
  const idempotencyKey = options.idempotencyKey ?? crypto.randomUUID();
  return http.request({
    method: "POST",
    path: "/v1/pauses",
    headers: { "idempotency-key": idempotencyKey },
    body: request,
    schema: PauseSchema,
    signal: options.signal,
    retry: "transient",
  });
}

export async function getPause(
  http: Http,
  pauseId: string,
  options: GetPauseOptions & { retry?: RetryPolicy } = {},
): Promise<Pause> {
  const waitSeconds = options.waitSeconds ?? 0;
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
    throw new CountersignError(
      "invalid_request",
      `waitSeconds must be a whole number from 0 to ${MAX_WAIT_SECONDS}, not ${waitSeconds}`,
      { pauseId },
    );
  }
  const pause = await http.request({
    method: "GET",
    path: pausePath(pauseId),
    query: { wait: waitSeconds > 0 ? waitSeconds : undefined },
    schema: PauseSchema,
    signal: options.signal,
    // The server may hold a long-poll for the whole wait; the usual budget comes on top.
    timeoutMs: waitSeconds * 1000 + http.timeoutMs,
    pauseId,
    retry: options.retry ?? "network",
  });
  if (pause.pause_id !== pauseId) {
    throw new CountersignError("invalid_response", `Asked for pause ${pauseId}, got ${pause.pause_id}`, {
      pauseId,
    });
  }
  return pause;
}

/** Never retried: a claim that reached the server once must not be sent again. */
export function claim(http: Http, pauseId: string, options: ClaimOptions = {}): Promise<Claim> {
  return http.request({
    method: "POST",
    path: pausePath(pauseId, "/claim"),
    body: options.proofId === undefined ? {} : { proof_id: options.proofId },
    schema: ClaimSchema,
    signal: options.signal,
    pauseId,
  });
}

/** Never retried: a receipt that reached the server once is recorded, and a second one is refused. */
export function recordReceipt(http: Http, pauseId: string, options: RecordReceiptOptions): Promise<Pause> {
  return http.request({
    method: "POST",
    path: pausePath(pauseId, "/receipt"),
    body: {
      outcome: options.outcome,
      ...(options.resultDigest !== undefined && { result_digest: options.resultDigest }),
      ...(options.error !== undefined && { error: options.error }),
    },
    schema: PauseSchema,
    signal: options.signal,
    pauseId,
  });
}

export function cancel(http: Http, pauseId: string, options: CancelOptions = {}): Promise<Pause> {
  return http.request({
    method: "POST",
    path: pausePath(pauseId, "/cancel"),
    body: options.reason === undefined ? {} : { reason: options.reason },
    schema: PauseSchema,
    signal: options.signal,
    pauseId,
  });
}

export function decide(http: Http, pauseId: string, options: DecideOptions): Promise<Pause> {
  const { signal, ...decision } = options;
  return http.request({
    method: "POST",
    path: pausePath(pauseId, "/decision"),
    body: decision,
    schema: PauseSchema,
    signal,
    pauseId,
  });
}

export function listPauses(http: Http, options: ListPausesOptions = {}): Promise<PauseList> {
  const { signal, ...query } = options;
  return http.request({
    method: "GET",
    path: "/v1/pauses",
    query,
    schema: PauseListSchema,
    signal,
    retry: "network",
  });
}

export function getKeys(http: Http, options: SignalOption = {}): Promise<JwkSet> {
  return http.request({
    method: "GET",
    path: "/v1/keys",
    schema: JwkSetSchema,
    signal: options.signal,
    retry: "network",
  });
}
