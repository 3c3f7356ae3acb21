import type { Context, MiddlewareHandler } from "hono";
import type { Approval } from "./approval.ts";
import { problemResponse, readJsonBody } from "./check-approved-request.ts";
import type { EnforceOptions } from "./enforce-options.ts";
import { createEnforcer } from "./enforcer.ts";

/** `c.get("countersign")` in the handler: the approval it runs under. */
export type ApprovalVariables = { countersign: Approval };

/**
 * Hono middleware for a proof-gated route: the handler runs only for a
 * request carrying a valid, unused proof of approval for exactly this
 * action, at most once per approval; its outcome is recorded as the
 * execution receipt (failed when it throws or answers 5xx).
 *
 * ```ts
 * app.post("/payments", requireApproval({ …, action: (request) => ({ type: "payment", data: request.body as ActionData }) }), (c) => …);
 * ```
 */
export function requireApproval(
  options: EnforceOptions<Context>,
): MiddlewareHandler<{ Variables: ApprovalVariables }> {
  const enforcer = createEnforcer(options);
  return async (c, next) => {
    const body = await readJsonBody(c.req.raw);
    if (!body.ok) return problemResponse(body.refused);
    const verdict = await enforcer.check({
      method: c.req.method,
      path: c.req.path,
      headers: c.req.raw.headers,
      body: body.value,
      params: c.req.param() as Record<string, string>,
      raw: c,
    });
    if (!verdict.ok) return problemResponse(verdict);
    c.set("countersign", verdict.approval);
    try {
      await next();
    } catch (error) {
      afterResponse(c, verdict.finish({ outcome: "failed", error }));
      throw error;
    }
    // Hono turns a thrown handler error into `c.error` and the error handler's response.
    const failed = c.error !== undefined || c.res.status >= 500;
    afterResponse(
      c,
      verdict.finish(
        failed ? { outcome: "failed", error: c.error ?? `HTTP ${c.res.status}` } : { outcome: "succeeded" },
      ),
    );
  };
}

/** The receipt is recorded after the response; on Workers-style runtimes `waitUntil` keeps it alive. */
function afterResponse(c: Context, receipt: Promise<void>): void {
  try {
    c.executionCtx.waitUntil(receipt);
  } catch {
    // No execution context (Node, Bun, Deno): the promise runs on its own; it never rejects.
  }
}

/** The approval the handler runs under (the same as `c.get("countersign")`). */
export function approvalOf(c: Context<{ Variables: ApprovalVariables }>): Approval {
  return c.get("countersign");
}

export type { Approval, EnforceOptions };
