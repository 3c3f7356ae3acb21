import type { IHttpRequestOptions, INode, JsonObject, RequestHelperFunctions } from "n8n-workflow";
import { NodeApiError } from "n8n-workflow";
import type { CountersignCredentials } from "./countersign-credentials.ts";
import type { PauseRequest } from "./pause-request.ts";
import type { Pause } from "./wire-types.ts";

const REQUEST_TIMEOUT_MS = 10_000;

/** What the API calls need from an n8n context: execute and webhook contexts both have it. */
export interface ApiContext {
  helpers: Pick<RequestHelperFunctions, "httpRequest">;
  getNode(): INode;
}

interface FullResponse {
  body: unknown;
  statusCode: number;
}

/**
 * Calls the Countersign API through n8n's own HTTP helper (proxy settings,
 * SSRF protection and logging apply). Any failure — unreachable, timeout,
 * non-2xx — is a `NodeApiError` carrying the server's problem detail; it is
 * never read as an approval.
 */
async function callApi(
  context: ApiContext,
  credentials: CountersignCredentials,
  options: Pick<IHttpRequestOptions, "method" | "body" | "headers"> & { path: string },
): Promise<unknown> {
  let response: FullResponse;
  try {
    response = (await context.helpers.httpRequest({
      method: options.method ?? "GET",
      url: `${credentials.serverUrl}${options.path}`,
      headers: { Authorization: `Bearer ${credentials.apiKey}`, ...options.headers },
      ...(options.body !== undefined && { body: options.body }),
      json: true,
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      timeout: REQUEST_TIMEOUT_MS,
    })) as FullResponse;
  } catch (error) {
    throw new NodeApiError(context.getNode(), error as JsonObject, {
      message: `Countersign at ${credentials.serverUrl} could not be reached`,
    });
  }
  if (response.statusCode < 200 || response.statusCode > 299) {
    const problem = (
      typeof response.body === "object" && response.body !== null ? response.body : {}
    ) as JsonObject;
    const detail = typeof problem.detail === "string" ? problem.detail : `HTTP ${response.statusCode}`;
    throw new NodeApiError(context.getNode(), problem, {
      httpCode: String(response.statusCode),
      message: `Countersign refused the request: ${detail}`,
      description: typeof problem.code === "string" ? `Error code: ${problem.code}` : undefined,
    });
  }
  return response.body;
}

function asPause(context: ApiContext, body: unknown): Pause {
  const pause = body as Pause | null;
  if (typeof pause?.pause_id !== "string" || typeof pause.status !== "string") {
    throw new NodeApiError(context.getNode(), { body: JSON.stringify(body) } as JsonObject, {
      message: "Countersign answered with something that is not a pause",
    });
  }
  return pause;
}

/** `POST /v1/pauses`; the idempotency key makes a retried node reuse its pause instead of opening another. */
export async function openPause(
  context: ApiContext,
  credentials: CountersignCredentials,
  request: PauseRequest,
  idempotencyKey: string,
): Promise<Pause> {
  const body = await callApi(context, credentials, {
    method: "POST",
    path: "/v1/pauses",
    body: request as unknown as JsonObject,
    headers: { "Idempotency-Key": idempotencyKey },
  });
  return asPause(context, body);
}

/**
 * `POST /v1/pauses/{id}/claim`: the single-use execution claim. Only the first
 * claim of an approval succeeds, so an approved action runs at most once even
 * when a decision is delivered twice or raced. Throws a `NodeApiError`
 * (`httpCode` "409" when already claimed) otherwise.
 */
export async function claimPause(
  context: ApiContext,
  credentials: CountersignCredentials,
  pauseId: string,
  proofId: string,
): Promise<void> {
  await callApi(context, credentials, {
    method: "POST",
    path: `/v1/pauses/${encodeURIComponent(pauseId)}/claim`,
    body: { proof_id: proofId },
  });
}
