import { z } from "zod";
import { CountersignError } from "../../errors/countersign-error.ts";
import { PauseListSchema, PauseSchema, PauseStatusSchema } from "../../protocol/pause.ts";
import { PauseRequestSchema } from "../../protocol/pause-request.ts";
import type { PauseRecord } from "../../store/records.ts";
import { jsonResponse } from "../http/route.ts";
import { freshPause } from "../operations/expire-pause.ts";
import { openPause } from "../operations/open-pause.ts";
import { readOwnPause } from "../operations/read-pause.ts";
import { render } from "../service-context.ts";
import { claimedBefore, OlderThanSchema } from "./older-than.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";
import { PauseParamsSchema, SEED_PAUSE_REQUEST } from "./route-schemas.ts";

const MAX_WAIT_SECONDS = 60;

const WaitQuerySchema = z.strictObject({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .optional()
    .describe("Long-poll: answer as soon as the pause is decided, or after this many seconds."),
});

const ListQuerySchema = z.strictObject({
  status: PauseStatusSchema.optional(),
  agent_id: z.string().min(1).optional(),
  action_type: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(500).optional().describe("`next_cursor` of the previous page."),
  claimed_without_receipt: z
    .enum(["true", "false"])
    .optional()
    .describe(
      "`true`: only pauses claimed but never reported (a crash between claim and action), for reconciliation.",
    ),
  older_than: OlderThanSchema.optional().describe(
    "Only pauses claimed at least this long ago: a duration (`90s`, `15m`, `2h`, `7d`) or an ISO 8601 instant.",
  ),
});

const OpenHeadersSchema = z.strictObject({
  "Idempotency-Key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe("Same key and same body: the same pause (200). Same key, another body: 409."),
});

export function pauseRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  return [
    keyRoute({
      operationId: "openPause",
      method: "post",
      path: "/v1/pauses",
      summary: "Open a pause",
      description:
        "Durable before the reply. A policy may decide at once; the reply then carries the decision and proof. Agent-supplied recipients that would widen routing are dropped, listed in `warnings`.",
      tags: ["pauses"],
      security: { kind: "apiKey", roles: ["agent"] },
      headers: OpenHeadersSchema,
      body: { schema: PauseRequestSchema, required: true, example: SEED_PAUSE_REQUEST },
      responses: {
        202: { description: "Opened (pending, or already decided by policy)", schema: PauseSchema },
        200: { description: "The pause this Idempotency-Key opened before", schema: PauseSchema },
      },
      errors: [400, 401, 403, 409, 413, 503],
      async handle({ auth, headers, body }) {
        const { pause, created, warnings } = await openPause(
          context,
          body,
          auth,
          headers["Idempotency-Key"] ?? null,
        );
        return jsonResponse(
          { ...render(context, pause), ...(warnings.length > 0 && { warnings }) },
          created ? 202 : 200,
          { location: `/v1/pauses/${pause.pauseId}` },
        );
      },
    }),
    keyRoute({
      operationId: "listPauses",
      method: "get",
      path: "/v1/pauses",
      summary: "List pauses",
      description:
        "Newest first, with a cursor. Agent keys see only the pauses they opened. `claimed_without_receipt=true&older_than=15m` lists the actions claimed but never reported.",
      tags: ["pauses"],
      security: { kind: "apiKey", roles: ["agent", "approver", "admin"] },
      query: ListQuerySchema,
      responses: { 200: { description: "A page of pauses", schema: PauseListSchema } },
      errors: [400, 401, 503],
      async handle({ auth, query }) {
        const page = await context.store.listPauses({
          limit: query.limit,
          ...(query.status && { status: query.status }),
          ...(query.agent_id && { agentId: query.agent_id }),
          ...(query.action_type && { actionType: query.action_type }),
          ...(query.cursor && { cursor: query.cursor }),
          ...(query.claimed_without_receipt === "true" && { claimedWithoutReceipt: true }),
          ...(query.older_than && { claimedBefore: claimedBefore(query.older_than, context.now()) }),
          ...(auth.role === "agent" && { ownerKeyId: auth.keyId }),
        });
        return jsonResponse({
          object: "list",
          data: page.items.map((record) => render(context, record)),
          has_more: page.nextCursor !== null,
          next_cursor: page.nextCursor,
        });
      },
    }),
    keyRoute({
      operationId: "getPause",
      method: "get",
      path: "/v1/pauses/{pause_id}",
      summary: "Read a pause",
      description: "With `wait`, holds the request until the pause is decided or expires (at most 60 s).",
      tags: ["pauses"],
      security: { kind: "apiKey", roles: ["agent", "approver", "admin", "executor"] },
      params: PauseParamsSchema,
      query: WaitQuerySchema,
      responses: { 200: { description: "The pause as it now is", schema: PauseSchema } },
      errors: [400, 401, 404, 503],
      async handle({ auth, params, query, request }) {
        const record = await readOwnPause(context, params.pause_id, auth);
        if (!query.wait || record.status !== "pending") return jsonResponse(render(context, record));
        // Returned, not awaited: while it waits, no frame of this handler stays suspended.
        return waitUntilSettled(dependencies, record, query.wait * 1000, request.signal).then((settled) =>
          jsonResponse(render(context, settled)),
        );
      },
    }),
  ];
}

/**
 * Long-poll: resolves as soon as the pause leaves pending, at its expiry, or
 * after `waitMs`, with the pause as it then is. A chain of promises rather
 * than an async loop, and holding only the pause's id and expiry: each of
 * thousands of held requests costs a wake-up entry and a timer, not a
 * suspended frame and a copy of the pause.
 */
function waitUntilSettled(
  dependencies: RouteDependencies,
  initial: PauseRecord,
  waitMs: number,
  signal: AbortSignal,
): Promise<PauseRecord> {
  const { context } = dependencies;
  const { pauseId, expiresAt } = initial;
  const deadline = Date.now() + waitMs;
  const reread = () =>
    freshPause(context, pauseId).then((next) => {
      if (!next) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
      return next;
    });
  const waitFrom = (): Promise<PauseRecord> => {
    const untilExpiry = Date.parse(expiresAt) - context.now().getTime();
    const remaining = Math.min(deadline - Date.now(), Math.max(untilExpiry, 0) + 5);
    if (remaining <= 0 || signal.aborted) return reread();
    return dependencies
      .waitForChange(pauseId, remaining, signal)
      .then(reread)
      .then((next) =>
        next.status === "pending" && !signal.aborted && Date.now() < deadline ? waitFrom() : next,
      );
  };
  return waitFrom();
}
