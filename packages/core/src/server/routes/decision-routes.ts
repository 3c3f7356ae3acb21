import type { Hono } from "hono";
import { CountersignError } from "../../errors/countersign-error.ts";
import { CancelRequestSchema, ClaimRequestSchema, DecisionRequestSchema } from "../../protocol/decision.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { cancelPause } from "../operations/cancel-pause.ts";
import { claimPause } from "../operations/claim-pause.ts";
import { decidePause } from "../operations/decide-pause.ts";
import { render } from "../service-context.ts";
import { type RouteDependencies, requireKey } from "./route-context.ts";

export function registerDecisionRoutes(app: Hono, dependencies: RouteDependencies): void {
  const { context } = dependencies;

  app.post("/v1/pauses/:pauseId/decision", async (c) => {
    const key = await requireKey(dependencies, c, ["approver", "admin"], "decide pauses");
    const pauseId = c.req.param("pauseId");
    const body = await readJsonBody(c.req.raw, DecisionRequestSchema, dependencies.maxBodyBytes);
    if (!key.identity) {
      throw new CountersignError(
        "forbidden",
        "This key has no approver identity; create it with --identity",
        { pauseId },
      );
    }
    if (body.override && key.role !== "admin") {
      throw new CountersignError("forbidden", "Only an admin key may override (break-glass)", { pauseId });
    }
    const pause = await decidePause(
      context,
      pauseId,
      {
        decision: body.decision,
        ...(body.reason !== undefined && { reason: body.reason }),
        ...(body.data !== undefined && { data: body.data }),
      },
      { identity: key.identity, channel: "api" },
      body.override && body.reason !== undefined ? { override: { reason: body.reason } } : {},
    );
    return c.json(render(context, pause));
  });

  app.post("/v1/pauses/:pauseId/claim", async (c) => {
    const key = await requireKey(dependencies, c, ["agent"], "claim pauses");
    const body = await readJsonBody(c.req.raw, ClaimRequestSchema, dependencies.maxBodyBytes);
    return c.json(await claimPause(context, c.req.param("pauseId"), key, body.proof_id));
  });

  app.post("/v1/pauses/:pauseId/cancel", async (c) => {
    const key = await requireKey(dependencies, c, ["agent"], "cancel pauses");
    const body = await readJsonBody(c.req.raw, CancelRequestSchema, dependencies.maxBodyBytes);
    return c.json(render(context, await cancelPause(context, c.req.param("pauseId"), key, body.reason)));
  });
}
