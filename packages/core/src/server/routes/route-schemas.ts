import { z } from "zod";

/** `{pause_id}` in a path. Unknown ids are `404`, so the format is not checked here. */
export const PauseParamsSchema = z.strictObject({
  pause_id: z.string().min(1).max(100).describe("The pause, `pau_…`."),
});

/** A list page: `{object: "list", data, has_more, next_cursor}`. */
export function listOf<Item extends z.ZodType>(item: Item) {
  return z.strictObject({
    object: z.literal("list"),
    data: z.array(item),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  });
}

/** The design's seed request: the example every client starts from. */
export const SEED_PAUSE_REQUEST = {
  agent_id: "billing-agent",
  action: {
    type: "payment",
    title: "Pay Acme Corp $12,450",
    description: "Pay Acme Corp $12,450",
    body: "optional markdown preview for the approver",
    data: { payee: "Acme Corp", amount: 12450, currency: "USD" },
    risk: "high",
  },
  recipients: [{ channel: "slack", target: "#finance-approvals" }],
  webhook_url: "https://acme.com/hooks",
  expires_in: 900,
  context: { thread_id: "thread-42", tool_call_id: "call_7", framework: "langgraph" },
  metadata: {},
};
