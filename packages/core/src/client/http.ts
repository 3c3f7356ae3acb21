import type { z } from "zod";
import { CountersignError } from "../errors/countersign-error.ts";
import { describeIssues } from "../protocol/parse.ts";
import { anySignal, sleep } from "./abort.ts";
import { errorFromResponse, isTransient, transientError } from "./errors.ts";
import type { ClientOptions, FetchFunction } from "./types.ts";

export const DEFAULT_TIMEOUT_MS = 10_000;
const RETRY_DELAY_MS = 200;

/**
 * When one failed attempt is tried again. `transient`: network errors,
 * timeouts and 5xx (only for requests an idempotency key makes safe).
 * `network`: only when the request never got an answer (reads).
 */
export type RetryPolicy = "transient" | "network" | "never";

export interface HttpRequest<Schema extends z.ZodType> {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The reply is parsed with it; a 2xx that does not parse is `invalid_response`. */
  schema: Schema;
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-request timeout (a long-poll adds its wait). */
  timeoutMs?: number;
  pauseId?: string | undefined;
  retry?: RetryPolicy;
}

export interface StreamRequest {
  path: string;
  signal?: AbortSignal | undefined;
  pauseId?: string | undefined;
}

export interface Http {
  readonly timeoutMs: number;
  request<Schema extends z.ZodType>(request: HttpRequest<Schema>): Promise<z.output<Schema>>;
  /** Opens a Server-Sent Events stream; the timeout covers only the wait for the response head. */
  openEventStream(request: StreamRequest): Promise<ReadableStream<Uint8Array>>;
}

export function createHttp(options: ClientOptions): Http {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Called through globalThis so browsers do not throw "Illegal invocation".
  const fetchFunction: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const baseUrl = options.baseUrl.replace(/\/+$/, "");

  function headersFor(accept: string, withBody: boolean, extra?: Record<string, string>): Headers {
    const headers = new Headers(extra);
    headers.set("authorization", `Bearer ${options.apiKey}`);
    headers.set("accept", accept);
    if (withBody) headers.set("content-type", "application/json");
    if (options.userAgent !== undefined) headers.set("user-agent", options.userAgent);
    return headers;
  }

  function urlFor(path: string, query?: Record<string, string | number | undefined>): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) search.set(name, String(value));
    }
    const text = search.toString();
    return `${baseUrl}${path}${text ? `?${text}` : ""}`;
  }

  async function attempt<Schema extends z.ZodType>(request: HttpRequest<Schema>): Promise<z.output<Schema>> {
    const limitMs = request.timeoutMs ?? timeoutMs;
    const timeout = AbortSignal.timeout(limitMs);
    const signal = anySignal([timeout, request.signal]);
    const label = `${request.method} ${request.path}`;
    const withBody = request.body !== undefined;
    let status: number;
    let text: string;
    try {
      const response = await fetchFunction(urlFor(request.path, request.query), {
        method: request.method,
        headers: headersFor("application/json, application/problem+json", withBody, request.headers),
        body: withBody ? JSON.stringify(request.body) : null,
        signal: signal ?? null,
      });
      status = response.status;
      // An error reply whose body cannot be read is still an error reply.
      text = response.ok ? await response.text() : await response.text().catch(() => "");
    } catch (error) {
      throw thrownError(error, {
        label,
        limitMs,
        timeout,
        external: request.signal,
        pauseId: request.pauseId,
      });
    }
    if (status < 200 || status > 299) throw errorFromResponse(status, text, request.pauseId);
    return parseReply(request.schema, text, label, request.pauseId);
  }

  async function request<Schema extends z.ZodType>(request: HttpRequest<Schema>): Promise<z.output<Schema>> {
    try {
      return await attempt(request);
    } catch (error) {
      if (!shouldRetry(request.retry ?? "never", error) || request.signal?.aborted) throw error;
      try {
        await sleep(RETRY_DELAY_MS + Math.random() * RETRY_DELAY_MS, request.signal);
      } catch (reason) {
        throw abortedError(`${request.method} ${request.path}`, reason, request.pauseId);
      }
      return attempt(request);
    }
  }

  async function openEventStream(request: StreamRequest): Promise<ReadableStream<Uint8Array>> {
    // A timer, not AbortSignal.timeout: the stream must outlive the head's deadline.
    const head = new AbortController();
    const timer = setTimeout(
      () => head.abort(new DOMException("The response head took too long", "TimeoutError")),
      timeoutMs,
    );
    const signal = anySignal([head.signal, request.signal]);
    const label = `GET ${request.path}`;
    try {
      const response = await fetchFunction(urlFor(request.path), {
        method: "GET",
        headers: headersFor("text/event-stream, application/problem+json", false, {
          "cache-control": "no-cache",
        }),
        signal: signal ?? null,
      });
      if (!response.ok) {
        const text = await response.text().catch(() => "");
        throw errorFromResponse(response.status, text, request.pauseId);
      }
      const type = response.headers.get("content-type") ?? "";
      if (!type.toLowerCase().startsWith("text/event-stream") || response.body === null) {
        await response.body?.cancel().catch(() => {});
        throw new CountersignError("invalid_response", `${label} did not answer with an event stream`, {
          pauseId: request.pauseId,
        });
      }
      return response.body;
    } catch (error) {
      throw thrownError(error, {
        label,
        limitMs: timeoutMs,
        timeout: head.signal,
        external: request.signal,
        pauseId: request.pauseId,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  return { timeoutMs, request, openEventStream };
}

function shouldRetry(policy: RetryPolicy, error: unknown): boolean {
  if (policy === "never" || !isTransient(error)) return false;
  return policy === "transient" || error.code === "network_error";
}

function parseReply<Schema extends z.ZodType>(
  schema: Schema,
  text: string,
  label: string,
  pauseId: string | undefined,
): z.output<Schema> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CountersignError("invalid_response", `${label} answered with a body that is not JSON`, {
      pauseId,
    });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields = describeIssues(result.error)
    .map((entry) => `${entry.path}: ${entry.message}`)
    .join("; ");
  throw new CountersignError("invalid_response", `${label} answered with an unexpected body (${fields})`, {
    pauseId,
  });
}

/** Names why a request was stopped: the caller's signal, our timeout, or the network. */
export function thrownError(
  error: unknown,
  context: {
    label: string;
    limitMs: number;
    timeout: AbortSignal;
    external: AbortSignal | undefined;
    pauseId: string | undefined;
  },
): CountersignError {
  if (error instanceof CountersignError) return error;
  if (context.external?.aborted) return abortedError(context.label, context.external.reason, context.pauseId);
  if (context.timeout.aborted) {
    return transientError("timeout", `${context.label} timed out after ${context.limitMs} ms`, {
      pauseId: context.pauseId,
      cause: error,
    });
  }
  return networkError(context.label, error, context.pauseId);
}

export function networkError(label: string, cause: unknown, pauseId: string | undefined): CountersignError {
  return transientError("network_error", `${label} failed: ${describe(cause)}`, { pauseId, cause });
}

export function abortedError(label: string, reason: unknown, pauseId: string | undefined): CountersignError {
  return new CountersignError("timeout", `${label} was aborted`, { pauseId, cause: reason });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}
