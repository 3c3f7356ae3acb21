import {
  cancel,
  claim,
  createPause,
  decide,
  getKeys,
  getPause,
  listPauses,
  recordReceipt,
} from "./endpoints.ts";
import { createHttp } from "./http.ts";
import { requestApproval } from "./request-approval.ts";
import type { ClientOptions, CountersignClient } from "./types.ts";
import { verifyDecision } from "./verify-decision.ts";
import { waitForDecision } from "./wait-for-decision.ts";

/**
 * A Countersign client over `fetch` and WebCrypto only: it runs in Node, Bun,
 * Deno, Workers and browsers. Every failure is a `CountersignError`, and no
 * failure ever looks like an approval.
 */
export function createClient(options: ClientOptions): CountersignClient {
  const http = createHttp(options);
  return {
    createPause: (request, callOptions) => createPause(http, request, callOptions),
    getPause: (pauseId, callOptions) => getPause(http, pauseId, callOptions),
    waitForDecision: (pauseId, callOptions) => waitForDecision(http, pauseId, callOptions),
    requestApproval: (request, callOptions) => requestApproval(http, request, callOptions),
    verifyDecision: (pause, callOptions) => verifyDecision(pause, callOptions, () => getKeys(http)),
    claim: (pauseId, callOptions) => claim(http, pauseId, callOptions),
    recordReceipt: (pauseId, receipt) => recordReceipt(http, pauseId, receipt),
    cancel: (pauseId, callOptions) => cancel(http, pauseId, callOptions),
    decide: (pauseId, callOptions) => decide(http, pauseId, callOptions),
    listPauses: (callOptions) => listPauses(http, callOptions),
    getKeys: (callOptions) => getKeys(http, callOptions),
  };
}
