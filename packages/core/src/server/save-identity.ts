import { CountersignError } from "../errors/countersign-error.ts";
import { IdentityInputSchema } from "../protocol/identity.ts";
import { parseOrThrow } from "../protocol/parse.ts";
import type { IdentityRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

const IDENTITY_PATTERN = /^[^\s:/]{1,320}$/;

/**
 * Creates or replaces an approver identity (API and CLI alike). A Slack user
 * id or a Teams account maps to one person only, so a second mapping is
 * refused rather than letting one chat account act as two people.
 */
export async function saveIdentity(
  store: Store,
  identity: string,
  input: unknown,
  now: Date,
): Promise<{ record: IdentityRecord; created: boolean }> {
  checkIdentity(identity);
  const body = parseOrThrow(IdentityInputSchema, input, "identity");
  const slackUserId = body.slack_user_id ?? null;
  if (slackUserId !== null) {
    const holder = await store.findIdentityBySlackUser(slackUserId);
    if (holder && holder.identity !== identity) {
      throw new CountersignError(
        "invalid_request",
        `Slack user ${slackUserId} already belongs to ${holder.identity}`,
        { errors: [{ path: "slack_user_id", message: `already mapped to ${holder.identity}` }] },
      );
    }
  }
  // Entra object ids are GUIDs: one spelling, so lookups by what Teams sends match.
  const teamsUserId = body.teams_user_id?.toLowerCase() ?? null;
  if (teamsUserId !== null) {
    const holder = await store.findIdentityByTeamsUser(teamsUserId);
    if (holder && holder.identity !== identity) {
      throw new CountersignError(
        "invalid_request",
        `Teams user ${teamsUserId} already belongs to ${holder.identity}`,
        { errors: [{ path: "teams_user_id", message: `already mapped to ${holder.identity}` }] },
      );
    }
  }
  const existing = await store.getIdentity(identity);
  const at = now.toISOString();
  const record: IdentityRecord = {
    identity,
    email: body.email ?? null,
    slackUserId,
    teamsUserId,
    displayName: body.display_name ?? null,
    groups: [...new Set(body.groups)].sort(),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
  await store.putIdentity(record);
  return { record, created: existing === null };
}

/** An identity id is 1 to 320 characters without spaces, ':' (kept for `group:`) or '/'. */
export function checkIdentity(identity: string): string {
  if (!IDENTITY_PATTERN.test(identity)) {
    throw new CountersignError(
      "invalid_request",
      "An identity is 1 to 320 characters, without spaces, ':' or '/'",
      { errors: [{ path: "identity", message: "not a valid identity" }] },
    );
  }
  return identity;
}
