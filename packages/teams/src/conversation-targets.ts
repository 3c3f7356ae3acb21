import { CountersignError } from "@countersign/core";
import { z } from "zod";

/** Where a card may be posted: a channel, a group chat or a personal chat the app is installed in. */
export interface ConversationTarget {
  /** `19:…@thread.tacv2` (a channel), `19:…@thread.v2` (a group chat) or `a:…` (a personal chat). */
  conversationId: string;
  /** The Bot Connector URL for the tenant's region (as Teams sends it); default the channel's `serviceUrl`. */
  serviceUrl?: string;
}

/** Admin-configured targets by name: recipients `{"channel": "teams", "target": NAME}` may only name these. */
export type ConversationTargets = Readonly<Record<string, ConversationTarget>>;

const TARGET_NAME = /^[^\s]{1,100}$/;

/** The wire form (`COUNTERSIGN_TEAMS_TARGETS`): `{"finance": {"conversation_id": "19:…", "service_url": "https://…"}}`. */
export const ConversationTargetsSchema = z.record(
  z.string(),
  z.strictObject({
    conversation_id: z.string().trim().min(1).max(500),
    service_url: z.url({ protocol: /^https?$/ }).optional(),
  }),
);

/** Parses the JSON form, naming the field that is wrong. */
export function parseConversationTargets(
  json: string,
  source = "COUNTERSIGN_TEAMS_TARGETS",
): ConversationTargets {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CountersignError("invalid_request", `${source}: not valid JSON`);
  }
  const parsed = ConversationTargetsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    throw new CountersignError("invalid_request", `${source}${path ? `.${path}` : ""}: ${issue?.message}`);
  }
  const targets = Object.fromEntries(
    Object.entries(parsed.data).map(([name, target]) => [
      name,
      {
        conversationId: target.conversation_id,
        ...(target.service_url && { serviceUrl: target.service_url }),
      },
    ]),
  );
  return checkConversationTargets(targets);
}

/** Checks names and fields of targets given in code. */
export function checkConversationTargets(targets: ConversationTargets): ConversationTargets {
  for (const [name, target] of Object.entries(targets)) {
    if (!TARGET_NAME.test(name)) {
      throw new CountersignError(
        "invalid_request",
        `Teams target "${name}": a target name is 1 to 100 characters without spaces`,
      );
    }
    if (!target.conversationId?.trim()) {
      throw new CountersignError("invalid_request", `Teams target "${name}" needs a conversationId`);
    }
  }
  return targets;
}
