import { PauseSchema } from "../../protocol/pause.ts";
import { ReceiptRequestSchema } from "../../protocol/receipt.ts";
import { jsonResponse } from "../http/route.ts";
import { recordReceipt } from "../operations/record-receipt.ts";
import { render } from "../service-context.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";
import { PauseParamsSchema } from "./route-schemas.ts";

export function receiptRoutes(dependencies: RouteDependencies) {
  const { context } = dependencies;
  return [
    keyRoute({
      operationId: "recordReceipt",
      method: "post",
      path: "/v1/pauses/{pause_id}/receipt",
      summary: "Report how a claimed action ended",
      description:
        "The execution receipt, once per pause, by the key that claimed it (the agent, or an executor service). The server signs it like a proof and appends `pause.executed` to the audit log; the pause then shows `execution`. 409 `not_claimed` before a claim, 409 `already_reported` after the first receipt.",
      tags: ["decisions"],
      security: { kind: "apiKey", roles: ["agent", "executor"] },
      params: PauseParamsSchema,
      body: {
        schema: ReceiptRequestSchema,
        required: true,
        example: {
          outcome: "succeeded",
          result_digest: "sha256:4f1c2e5d8a0b7c6e9f3a1d2b5c8e7f0a4b3c6d9e2f1a0b7c8d5e4f3a2b1c0d9e",
        },
      },
      responses: {
        201: { description: "Recorded: the pause with its signed `execution`", schema: PauseSchema },
      },
      errors: [400, 401, 403, 404, 409, 413, 503],
      async handle({ auth, params, body }) {
        const pause = await recordReceipt(context, params.pause_id, auth, body);
        return jsonResponse(render(context, pause), 201);
      },
    }),
  ];
}
