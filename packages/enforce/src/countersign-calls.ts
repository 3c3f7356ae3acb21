import type { Action, ActionData, JwkSet, Proof } from "@countersign/verify";

/** The parts of a pause the middleware reads. */
export interface PauseView {
  pause_id: string;
  status: string;
  action: Action;
  proof: Proof | null;
  claimed_at: string | null;
  decision: { data: ActionData | null } | null;
}

/** How a call to Countersign ended, without throwing: the caller maps it to its answer. */
export type CallResult<Body> =
  | { kind: "ok"; status: number; body: Body }
  | { kind: "refused"; status: number; code: string; detail: string }
  | { kind: "unreachable"; detail: string };

export interface CountersignCalls {
  getPause(pauseId: string): Promise<CallResult<PauseView>>;
  claim(pauseId: string, proofId: string): Promise<CallResult<unknown>>;
  recordReceipt(
    pauseId: string,
    receipt: { outcome: "succeeded" | "failed"; result_digest?: string; error?: string },
  ): Promise<CallResult<unknown>>;
  getKeys(): Promise<CallResult<JwkSet>>;
}

/** Countersign's API over plain `fetch`, with the executor key; every failure is a value, never an approval. */
export function countersignCalls(options: {
  baseUrl: string;
  executorKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
}): CountersignCalls {
  const base = options.baseUrl.replace(/\/+$/, "");
  async function call<Body>(method: string, path: string, body?: unknown): Promise<CallResult<Body>> {
    let response: Response;
    try {
      response = await options.fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.executorKey}`,
          accept: "application/json",
          ...(body !== undefined && { "content-type": "application/json" }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error)?.name === "TimeoutError";
      return {
        kind: "unreachable",
        detail: timedOut ? `no answer within ${options.timeoutMs} ms` : "the connection failed",
      };
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      return response.status >= 500
        ? { kind: "unreachable", detail: `HTTP ${response.status}` }
        : { kind: "refused", status: response.status, code: "invalid_response", detail: "not JSON" };
    }
    if (response.ok) return { kind: "ok", status: response.status, body: parsed as Body };
    if (response.status >= 500) return { kind: "unreachable", detail: `HTTP ${response.status}` };
    const problem = (parsed ?? {}) as { code?: unknown; detail?: unknown };
    return {
      kind: "refused",
      status: response.status,
      code: typeof problem.code === "string" ? problem.code : "unknown",
      detail: typeof problem.detail === "string" ? problem.detail : `HTTP ${response.status}`,
    };
  }
  const pausePath = (pauseId: string, rest = "") => `/v1/pauses/${encodeURIComponent(pauseId)}${rest}`;
  return {
    getPause: (pauseId) => call("GET", pausePath(pauseId)),
    claim: (pauseId, proofId) => call("POST", pausePath(pauseId, "/claim"), { proof_id: proofId }),
    recordReceipt: (pauseId, receipt) => call("POST", pausePath(pauseId, "/receipt"), receipt),
    getKeys: () => call("GET", "/v1/keys"),
  };
}
