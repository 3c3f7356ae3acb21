import {
  CountersignError,
  DecisionRequestSchema,
  isCountersignError,
  type Pause,
  PauseSchema,
  ProofSchema,
  RiskSchema,
  RoutingSchema,
} from "@countersign/core";
import type { Route } from "@countersign/core/server";
import { z } from "zod";
import { jsonResponse, problemWith } from "../http/responses.ts";
import type { InboxContext } from "../inbox-context.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";
import { pauseView } from "./pause-view.ts";

const ListQuerySchema = z.strictObject({
  status: z.enum(["pending", "decided", "all"]).default("pending"),
  q: z
    .string()
    .trim()
    .min(1, "say what to search for, or leave q out")
    .max(200)
    .optional()
    .describe(
      "Text search: the pause id, agent, action type, title, description, or any string or number in the arguments (an order number, an IBAN). Case-insensitive.",
    ),
  agent_id: z.string().min(1).max(200).optional(),
  action_type: z.string().min(1).max(200).optional(),
  risk: z
    .union([RiskSchema, z.literal("unspecified")])
    .optional()
    .describe("`unspecified`: no risk stated."),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  cursor: z.string().min(1).max(500).optional(),
});

const ViewQuerySchema = z.strictObject({ view: z.literal("1").optional() });

const PauseIdSchema = z.strictObject({
  pause_id: z.string().min(1).max(100).describe("The pause, `pau_…`."),
});

export const InboxPauseViewSchema = z.strictObject({
  object: z.literal("inbox_pause"),
  pause: PauseSchema,
  requested_by: z.string().nullable().describe("The identity behind the agent key that opened it."),
  routing: RoutingSchema.nullable().describe("How policy routed it, when it did."),
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
  can_decide: z
    .array(z.string())
    .describe(
      "The ids of the pauses in `data` that the signed-in approver may decide now: each card's `viewer.can_decide`, for the whole page (what the list offers to decide together).",
    ),
});

/** Of these pauses, the pending ones this person may decide now (the answer `decide` enforces). */
function decidableIds(context: InboxContext, pauses: readonly Pause[], identity: string) {
  const pending = pauses.filter((pause) => pause.status === "pending").map((pause) => pause.pause_id);
  return context.service.decidablePauseIds(pending, identity);
}

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
      responses: {
        200: { description: "A page of the pauses that match, newest first", schema: InboxPauseListSchema },
      },
      errors: [400, 401],
      async handle({ auth, query }) {
        // Every filter runs in the store, so a page holds only matches and the cursor pages through them.
        // Approvers and admins see every pause, as they do through GET /v1/pauses.
        const page = await context.service.listPauses({
          limit: query.limit,
          ...(query.status === "pending" && { status: "pending" }),
          ...(query.status === "decided" && { decided: true }),
          ...(query.q !== undefined && { text: query.q }),
          ...(query.agent_id && { agentId: query.agent_id }),
          ...(query.action_type && { actionType: query.action_type }),
          ...(query.risk && { risk: query.risk === "unspecified" ? null : query.risk }),
          ...(query.cursor && { cursor: query.cursor }),
        });
        return jsonResponse({
          object: "list",
          data: page.items,
          has_more: page.nextCursor !== null,
          next_cursor: page.nextCursor,
          can_decide: await decidableIds(context, page.items, auth.identity),
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
