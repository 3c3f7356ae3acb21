import {
  CountersignError,
  DecisionRequestSchema,
  isCountersignError,
  parseOrThrow,
  RiskSchema,
} from "@countersign/core";
import { z } from "zod";
import { readJson } from "../http/read-json.ts";
import { jsonResponse, problemWith } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { requireSession, requireSessionForChange } from "../session/require-session.ts";
import type { InboxApp } from "./inbox-app.ts";
import { pauseView } from "./pause-view.ts";

const ListQuerySchema = z.strictObject({
  status: z.enum(["pending", "decided", "all"]).default("pending"),
  agent_id: z.string().min(1).optional(),
  action_type: z.string().min(1).optional(),
  risk: RiskSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  cursor: z.string().min(1).optional(),
});

const ViewQuerySchema = z.strictObject({ view: z.literal("1").optional() });

export function registerPauseRoutes(app: InboxApp, context: InboxContext): void {
  app.get("/inbox/api/pauses", async (c) => {
    await requireSession(context, c.req.raw);
    const query = parseOrThrow(ListQuerySchema, c.req.query(), "query");
    // One store page per request; filters the store cannot apply (risk, "decided") thin that page.
    const page = await context.service.listPauses({
      limit: query.limit,
      ...(query.status === "pending" && { status: "pending" }),
      ...(query.agent_id && { agentId: query.agent_id }),
      ...(query.action_type && { actionType: query.action_type }),
      ...(query.cursor && { cursor: query.cursor }),
    });
    const data = page.items.filter(
      (pause) =>
        (query.status !== "decided" || pause.status !== "pending") &&
        (query.risk === undefined || pause.action.risk === query.risk),
    );
    return jsonResponse({
      object: "list",
      data,
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  });

  app.get("/inbox/api/pauses/:pauseId", async (c) => {
    const session = await requireSession(context, c.req.raw);
    const pauseId = c.req.param("pauseId");
    const query = parseOrThrow(ViewQuerySchema, c.req.query(), "query");
    const view = await pauseView(context, pauseId, session);
    if (query.view === "1") {
      await context.service.recordEvent(
        pauseId,
        "pause.viewed",
        { kind: "human", id: session.identity },
        { channel: "web" },
      );
    }
    return jsonResponse(view);
  });

  app.post("/inbox/api/pauses/:pauseId/decision", async (c) => {
    const session = await requireSessionForChange(context, c.req.raw);
    const pauseId = c.req.param("pauseId");
    const body = await readJson(c.req.raw, DecisionRequestSchema);
    if (body.decision === "reject" && body.reason === undefined) {
      throw new CountersignError("invalid_request", "Say why you reject: a reason is required", {
        pauseId,
        errors: [{ path: "reason", message: "required when rejecting" }],
      });
    }
    try {
      await context.service.decide(
        pauseId,
        {
          decision: body.decision,
          ...(body.reason !== undefined && { reason: body.reason }),
          ...(body.data !== undefined && { data: body.data }),
        },
        { identity: session.identity, channel: "web" },
      );
    } catch (error) {
      // A late decider gets the pause as it now is, so the card can say who decided first.
      if (isCountersignError(error, "already_decided")) {
        const view = await pauseView(context, pauseId, session);
        return problemWith("already_decided", error.message, { pause_id: pauseId, view });
      }
      throw error;
    }
    return jsonResponse(await pauseView(context, pauseId, session));
  });

  app.get("/inbox/api/pauses/:pauseId/proof", async (c) => {
    await requireSession(context, c.req.raw);
    const pauseId = c.req.param("pauseId");
    const pause = await context.service.getPause(pauseId);
    if (!pause) throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
    if (!pause.proof) {
      throw new CountersignError("not_found", `Pause ${pauseId} has no proof (it is ${pause.status})`, {
        pauseId,
      });
    }
    return new Response(`${JSON.stringify(pause.proof, null, 2)}\n`, {
      headers: {
        "content-type": "application/json",
        "content-disposition": `attachment; filename="countersign-proof-${pauseId}.json"`,
        "cache-control": "no-store",
      },
    });
  });
}
