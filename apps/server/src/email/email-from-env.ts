import { isCountersignError } from "@countersign/core";
import type { Logger, Store } from "@countersign/core/server";
import { UsageError } from "../usage-error.ts";
import { loadWebSecret } from "../web-session/web-secret.ts";
import type { EmailChannel } from "./email-channel.ts";

/**
 * The e-mail channel as `countersign serve` configures it: on when
 * `COUNTERSIGN_SMTP_URL` is set (with `COUNTERSIGN_SMTP_FROM`), links signed
 * with the web secret kept in the store and spent through the store. `null`
 * when e-mail is not configured.
 */
export async function emailChannelFromEnv(
  env: Record<string, string | undefined>,
  store: Store,
  log?: Logger,
): Promise<EmailChannel | null> {
  const url = env.COUNTERSIGN_SMTP_URL?.trim();
  if (!url) return null;
  const from = env.COUNTERSIGN_SMTP_FROM?.trim();
  if (!from)
    throw new UsageError("COUNTERSIGN_SMTP_URL is set: set COUNTERSIGN_SMTP_FROM too (the sender address)");
  const secret = await loadWebSecret(store);
  // Loaded only when SMTP is configured: nodemailer is a few MB of a server's memory otherwise unused.
  const { emailChannel } = await import("./email-channel.ts");
  try {
    return emailChannel({
      smtp: url,
      from,
      secret,
      consumeToken: (tokenId, expiresAt) => store.consumeToken(tokenId, expiresAt),
      followUps: store,
      ...(log && { log }),
    });
  } catch (error) {
    if (isCountersignError(error, "invalid_request"))
      throw new UsageError(`COUNTERSIGN_SMTP_URL: ${error.message}`);
    throw error;
  }
}
