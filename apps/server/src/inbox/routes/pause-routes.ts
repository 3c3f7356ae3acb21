import {
  CountersignError,
  DecisionRequestSchema,
  isCountersignError,
  PauseSchema,
  ProofSchema,
  RiskSchema,
} from "@countersign/core";
import type { Route } from "@countersign/core/server";
import { z } from "zod";
import { jsonResponse, problemWith } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";
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

const PauseIdSchema = z.strictObject({
  pause_id: z.string().min(1).max(100).describe("The pause, `pau_…`."),
});

const InboxPauseViewSchema = z.strictObject({
  object: z.literal("inbox_pause"),
  pause: PauseSchema,
  requested_by: z.string().nullable().describe("The identity behind the agent key that opened it."),
  routing: z.record(z.string(), z.unknown()).nullable().describe("How policy routed it, when it did."),
  approvals: z.array(z.strictObject({ identity: z.string(), channel: z.string(), at: z.string() })),
  viewer: z.strictObject({
    identity: z.string(),
    can_decide: z.boolean().describe("The server's own answer: the decision it would accept now."),
    note: z.string().nullable(),
  }),
});

const InboxPauseListSchema = z.strictObject({
  object: z.literal("list"),
  data: z.array(PauseSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

/** The approver's pauses: the list, one card, deciding it, and its proof as a download. */
export function pauseRoutes(context: InboxContext): Route<InboxAuth>[] {
  return [
    sessionRoute({
      operationId: "inboxListPauses",
      method: "get",
      path: "/inbox/api/pauses",
      summary: "List pauses",
      tags: ["inbox"],
      security: { kind: "session" },
      query: ListQuerySchema,
      responses: { 200: { description: "A page of pauses, newest first", schema: InboxPauseListSchema } },
      errors: [400, 401],
      async handle({ query }) {
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
      },
    }),
    sessionRoute({
      operationId: "inboxGetPause",
      method: "get",
      path: "/inbox/api/pauses/{pause_id}",
      summary: "A pause's card",
      description:
        "The pause, who asked, how it was routed, and whether the viewer may decide it. `view=1` records that it was viewed.",
      tags: ["inbox"],
      security: { kind: "session" },
      params: PauseIdSchema,
      query: ViewQuerySchema,
      responses: { 200: { description: "The card", schema: InboxPauseViewSchema } },
      errors: [400, 401, 404],
      async handle({ auth, params, query }) {
        const view = await pauseView(context, params.pause_id, auth);
        if (query.view === "1") {
          await context.service.recordEvent(
            params.pause_id,
            "pause.viewed",
            { kind: "human", id: auth.identity },
            { channel: "web" },
          );
        }
        return jsonResponse(view);
      },
    }),
    sessionRoute({
      operationId: "inboxDecidePause",
      method: "post",
      path: "/inbox/api/pauses/{pause_id}/decision",
      summary: "Decide a pause",
      description:
        "Approve or reject (a reason is required to reject). A late decider gets 409 with `view`: the card as it now is.",
      tags: ["inbox"],
      security: { kind: "session", changes: true },
      params: PauseIdSchema,
      body: { schema: DecisionRequestSchema, required: true },
      responses: { 200: { description: "The card after the decision", schema: InboxPauseViewSchema } },
      errors: [400, 401, 403, 404, 409],
      async handle({ auth, params, body }) {
        const pauseId = params.pause_id;
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
            { identity: auth.identity, channel: "web" },
          );
        } catch (error) {
          // A late decider gets the pause as it now is, so the card can say who decided first.
          if (isCountersignError(error, "already_decided")) {
            const view = await pauseView(context, pauseId, auth);
            return problemWith("already_decided", error.message, { pause_id: pauseId, view });
          }
          throw error;
        }
        return jsonResponse(await pauseView(context, pauseId, auth));
      },
    }),
    sessionRoute({
      operationId: "inboxDownloadProof",
      method: "get",
      path: "/inbox/api/pauses/{pause_id}/proof",
      summary: "Download a pause's proof",
      tags: ["inbox"],
      security: { kind: "session" },
      params: PauseIdSchema,
      responses: { 200: { description: "The signed decision proof, as a file", schema: ProofSchema } },
      errors: [401, 404],
      async handle({ params }) {
        const pauseId = params.pause_id;
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
      },
    }),
  ];
}
