import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from "express";
import type { Approval } from "./approval.ts";
import type { EnforceOptions } from "./enforce-options.ts";
import { toHeaders } from "./enforced-request.ts";
import { createEnforcer } from "./enforcer.ts";
import { PROBLEM_CONTENT_TYPE } from "./problem.ts";

/**
 * Express middleware for a proof-gated route (after `express.json()`): the
 * handler runs only for a request carrying a valid, unused proof of approval
 * for exactly this action, at most once per approval. The approval is
 * `res.locals.countersign`; the receipt is recorded when the response
 * finishes (failed on 5xx, or when the connection closes first).
 */
export function requireApproval(options: EnforceOptions<Request>): RequestHandler {
  const enforcer = createEnforcer(options);
  return (request: Request, response: Response, next: NextFunction) => {
    enforcer
      .check({
        method: request.method,
        path: request.path,
        headers: toHeaders(request.headers),
        body: request.body,
        params: { ...request.params } as Record<string, string>,
        raw: request,
      })
      .then((verdict) => {
        if (!verdict.ok) {
          if (verdict.status === 503) response.setHeader("retry-after", "1");
          response.status(verdict.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(verdict.problem));
          return;
        }
        response.locals.countersign = verdict.approval;
        response.on("finish", () => {
          const error = failures.get(response);
          void verdict.finish(
            error !== undefined || response.statusCode >= 500
              ? { outcome: "failed", error: error ?? `HTTP ${response.statusCode}` }
              : { outcome: "succeeded" },
          );
        });
        response.on("close", () => {
          if (!response.writableFinished) {
            void verdict.finish({
              outcome: "failed",
              error: "the connection closed before the response was sent",
            });
          }
        });
        next();
      }, next);
  };
}

const failures = new WeakMap<Response, unknown>();

/**
 * Optional error middleware (`app.use(recordFailures())` after your routes,
 * before your error handler): the receipt of a handler that throws then says
 * what went wrong, not only `HTTP 500`. It passes the error on unchanged.
 */
export function recordFailures(): ErrorRequestHandler {
  return (error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.locals.countersign !== undefined) failures.set(response, error);
    next(error);
  };
}

/** The approval the handler runs under (`res.locals.countersign`). */
export function approvalOf(response: Response): Approval {
  return response.locals.countersign as Approval;
}

export type { Approval, EnforceOptions };
