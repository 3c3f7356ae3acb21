import type { Hono } from "hono";
import { z } from "zod";
import { CountersignError } from "../../errors/countersign-error.ts";
import { parseOrThrow } from "../../protocol/parse.ts";
import { PauseStatusSchema } from "../../protocol/pause.ts";
import { PauseRequestSchema } from "../../protocol/pause-request.ts";
import type { PauseRecord } from "../../store/records.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { freshPause } from "../operations/expire-pause.ts";
import { openPause } from "../operations/open-pause.ts";
import { readOwnPause } from "../operations/read-pause.ts";
import { render } from "../service-context.ts";
import { type RouteDependencies, requireKey } from "./route-context.ts";

const MAX_WAIT_SECONDS = 60;

const WaitQuerySchema = z.strictObject({
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).optional(),
});

const ListQuerySchema = z.strictObject({
  status: PauseStatusSchema.optional(),
  agent_id: z.string().min(1).optional(),
  action_type: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(500).optional(),
});

const IdempotencyKeySchema = z.string().min(1).max(255);

export function registerPauseRoutes(app: Hono, dependencies: RouteDependencies): void {
  const { context } = dependencies;

  app.post("/v1/pauses", async (c) => {
    const key = await requireKey(dependencies, c, ["agent"], "open pauses");
    const headerKey = c.req.header("idempotency-key");
    const idempotencyKey =
      headerKey === undefined
        ? null
        : parseOrThrow(IdempotencyKeySchema, headerKey, "Idempotency-Key header");
    const request = await readJsonBody(c.req.raw, PauseRequestSchema, dependencies.maxBodyBytes);
    const { pause, created, warnings } = await openPause(context, request, key, idempotencyKey);
    return c.json(
      { ...render(context, pause), ...(warnings.length > 0 && { warnings }) },
      created ? 202 : 200,
      { location: `/v1/pauses/${pause.pauseId}` },
    );
  });

  app.get("/v1/pauses", async (c) => {
    const key = await requireKey(dependencies, c, ["agent", "approver", "admin"], "list pauses");
    const query = parseOrThrow(ListQuerySchema, c.req.query(), "query");
    const page = await context.store.listPauses({
      limit: query.limit,
      ...(query.status && { status: query.status }),
      ...(query.agent_id && { agentId: query.agent_id }),
      ...(query.action_type && { actionType: query.action_type }),
      ...(query.cursor && { cursor: query.cursor }),
      ...(key.role === "agent" && { ownerKeyId: key.keyId }),
    });
    return c.json({
      object: "list",
      data: page.items.map((record) => render(context, record)),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  });

  app.get("/v1/pauses/:pauseId", async (c) => {
    const key = await requireKey(dependencies, c, ["agent", "approver", "admin"], "read pauses");
    const pauseId = c.req.param("pauseId");
    const { wait } = parseOrThrow(WaitQuerySchema, c.req.query(), "query");
    let record = await readOwnPause(context, pauseId, key);
    if (wait) record = await waitUntilSettled(dependencies, record, wait * 1000, c.req.raw.signal);
    return c.json(render(context, record));
  });
}

/** Long-poll: returns as soon as the pause leaves pending, at its expiry, or after `waitMs`. */
async function waitUntilSettled(
  dependencies: RouteDependencies,
  initial: PauseRecord,
  waitMs: number,
  signal: AbortSignal,
): Promise<PauseRecord> {
  const { context } = dependencies;
  const deadline = Date.now() + waitMs;
  let record = initial;
  while (record.status === "pending" && !signal.aborted) {
    const untilExpiry = Date.parse(record.expiresAt) - context.now().getTime();
    const remaining = Math.min(deadline - Date.now(), Math.max(untilExpiry, 0) + 5);
    if (remaining <= 0) break;
    await dependencies.waitForChange(record.pauseId, remaining, signal);
    const next = await freshPause(context, record.pauseId);
    if (!next)
      throw new CountersignError("not_found", `No pause ${record.pauseId}`, { pauseId: record.pauseId });
    record = next;
  }
  return record;
}
