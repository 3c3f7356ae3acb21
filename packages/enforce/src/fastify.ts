import type {
  FastifyReply,
  FastifyRequest,
  onErrorHookHandler,
  onResponseHookHandler,
  preHandlerHookHandler,
} from "fastify";
import type { Approval } from "./approval.ts";
import type { EnforceOptions } from "./enforce-options.ts";
import { toHeaders } from "./enforced-request.ts";
import { createEnforcer } from "./enforcer.ts";
import { PROBLEM_CONTENT_TYPE } from "./problem.ts";
import type { ApprovedVerdict } from "./verdict.ts";

// Kept beside the request rather than on it: no request decoration, so no plugin to register.
const approved = new WeakMap<FastifyRequest, ApprovedVerdict>();
const failures = new WeakMap<FastifyRequest, unknown>();

export interface ApprovalHooks {
  preHandler: preHandlerHookHandler;
  onError: onErrorHookHandler;
  onResponse: onResponseHookHandler;
}

/**
 * Route hooks for a proof-gated Fastify route: spread them into the route's
 * options. The handler runs only for a request carrying a valid, unused proof
 * of approval for exactly this action, at most once per approval; the receipt
 * is recorded when the response is sent (failed on a thrown error or 5xx).
 *
 * ```ts
 * app.post("/payments", { ...requireApproval(options) }, async (request) => pay(approvalOf(request)));
 * ```
 */
export function requireApproval(options: EnforceOptions<FastifyRequest>): ApprovalHooks {
  const enforcer = createEnforcer(options);
  return {
    async preHandler(request: FastifyRequest, reply: FastifyReply) {
      const verdict = await enforcer.check({
        method: request.method,
        path: request.url.split("?")[0] ?? request.url,
        headers: toHeaders(request.headers),
        body: request.body,
        params: (request.params ?? {}) as Record<string, string>,
        raw: request,
      });
      if (!verdict.ok) {
        if (verdict.status === 503) reply.header("retry-after", "1");
        return reply.code(verdict.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(verdict.problem));
      }
      approved.set(request, verdict);
    },
    async onError(request: FastifyRequest, _reply: FastifyReply, error: Error) {
      failures.set(request, error);
    },
    async onResponse(request: FastifyRequest, reply: FastifyReply) {
      const verdict = approved.get(request);
      if (!verdict) return;
      const error = failures.get(request);
      void verdict.finish(
        error !== undefined || reply.statusCode >= 500
          ? { outcome: "failed", error: error ?? `HTTP ${reply.statusCode}` }
          : { outcome: "succeeded" },
      );
    },
  } as ApprovalHooks;
}

/** The approval the handler runs under. */
export function approvalOf(request: FastifyRequest): Approval {
  const verdict = approved.get(request);
  if (!verdict) throw new Error("@countersign/enforce: this route has no requireApproval hooks");
  return verdict.approval;
}

export type { Approval, EnforceOptions };
