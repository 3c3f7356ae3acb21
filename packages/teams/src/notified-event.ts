import type { ApprovalService } from "@countersign/core/server";
import { z } from "zod";
import type { PostedCard } from "./card-tracker.ts";

/**
 * Where a card was posted, as the `pause.notified` audit event records it.
 * The audit log outlives the process: after a restart the channel reads
 * these back to update cards it no longer has in memory.
 */
const NotifiedEventDataSchema = z.object({
  channel: z.literal("teams"),
  target: z.string().nullable(),
  conversation_id: z.string().min(1),
  activity_id: z.string().min(1),
  service_url: z.url({ protocol: /^https?$/ }),
});

export function notifiedEventData(card: PostedCard): z.infer<typeof NotifiedEventDataSchema> {
  return {
    channel: "teams",
    target: card.target,
    conversation_id: card.conversationId,
    activity_id: card.activityId,
    service_url: card.serviceUrl,
  };
}

/** The Teams cards posted for a pause, from its audit events (other channels' events are skipped). */
export async function cardsFromAudit(service: ApprovalService, pauseId: string): Promise<PostedCard[]> {
  const cards: PostedCard[] = [];
  for (const event of await service.listEvents(pauseId, "pause.notified")) {
    const parsed = NotifiedEventDataSchema.safeParse(event.data);
    if (!parsed.success) continue;
    cards.push({
      conversationId: parsed.data.conversation_id,
      activityId: parsed.data.activity_id,
      serviceUrl: parsed.data.service_url,
      target: parsed.data.target,
    });
  }
  return cards;
}
