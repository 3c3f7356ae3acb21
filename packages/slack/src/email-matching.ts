import type { webApi } from "@slack/bolt";

/** An existing Countersign identity and its e-mail address. */
export interface IdentityEmail {
  identity: string;
  email: string;
}

export interface EmailMatchingOptions {
  /**
   * The identities a Slack account may be matched to by e-mail. Give only
   * existing approver identities, and leave out those already mapped to a
   * Slack member id (an explicit mapping wins).
   */
  identities: () => Promise<IdentityEmail[]> | IdentityEmail[];
  /** How long a lookup's answer is kept; default 10 minutes. */
  cacheSeconds?: number;
}

interface Lookup {
  slackUserId: string | null;
  until: number;
}

/**
 * Maps an unmapped Slack clicker to an identity through `users.lookupByEmail`
 * (scope `users:read.email`): for each identity's e-mail, the workspace
 * member Slack holds it for. A match counts only when that member is the
 * clicker, a full member (not a guest, bot or deactivated account) and
 * Slack says the address is confirmed. Nothing is created: no match, no
 * decision.
 */
export function createEmailMatcher(
  client: webApi.WebClient,
  options: EmailMatchingOptions,
  now: () => Date,
  logError: (message: string, details: Record<string, unknown>) => void,
) {
  const ttl = (options.cacheSeconds ?? 600) * 1000;
  const lookups = new Map<string, Lookup>();

  async function memberFor(email: string): Promise<string | null> {
    const key = email.trim().toLowerCase();
    const cached = lookups.get(key);
    if (cached && cached.until > now().getTime()) return cached.slackUserId;
    let slackUserId: string | null = null;
    try {
      const { user } = await client.users.lookupByEmail({ email: key });
      const verified =
        !!user?.id &&
        user.is_email_confirmed === true &&
        user.profile?.email?.toLowerCase() === key &&
        !user.deleted &&
        !user.is_bot &&
        !user.is_restricted &&
        !user.is_ultra_restricted;
      slackUserId = verified ? (user?.id ?? null) : null;
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code !== "users_not_found") {
        // Not cached: a missing scope or an outage should not hide a match for ten minutes.
        logError("slack users.lookupByEmail failed", { error: code ?? String(error) });
        return null;
      }
    }
    lookups.set(key, { slackUserId, until: now().getTime() + ttl });
    return slackUserId;
  }

  return async function identityFor(slackUserId: string): Promise<string | null> {
    for (const candidate of await options.identities()) {
      if (!candidate.email) continue;
      if ((await memberFor(candidate.email)) === slackUserId) return candidate.identity;
    }
    return null;
  };
}
