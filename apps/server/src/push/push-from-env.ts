import { UsageError } from "../usage-error.ts";
import type { WebPushOptions } from "./push-options.ts";
import { checkVapidKeys } from "./vapid-keys.ts";

/**
 * Web Push as `countersign serve` configures it: on unless
 * `COUNTERSIGN_WEB_PUSH=off`; VAPID keys from `COUNTERSIGN_VAPID_PUBLIC_KEY`
 * and `COUNTERSIGN_VAPID_PRIVATE_KEY` (both or neither; else made once and
 * kept in the store); the contact from `COUNTERSIGN_VAPID_SUBJECT`; loopback
 * push endpoints only with `COUNTERSIGN_WEB_PUSH_ALLOW_LOOPBACK=1` (development).
 */
export function pushOptionsFromEnv(env: Record<string, string | undefined>): WebPushOptions | false {
  const switchedOff = env.COUNTERSIGN_WEB_PUSH?.trim().toLowerCase();
  if (switchedOff === "off" || switchedOff === "0" || switchedOff === "false") return false;
  const publicKey = env.COUNTERSIGN_VAPID_PUBLIC_KEY?.trim();
  const privateKey = env.COUNTERSIGN_VAPID_PRIVATE_KEY?.trim();
  if (Boolean(publicKey) !== Boolean(privateKey)) {
    throw new UsageError(
      "Set both COUNTERSIGN_VAPID_PUBLIC_KEY and COUNTERSIGN_VAPID_PRIVATE_KEY, or neither (the server then makes a pair)",
    );
  }
  const options: WebPushOptions = {};
  if (publicKey && privateKey) {
    try {
      options.vapidKeys = checkVapidKeys({ publicKey, privateKey });
    } catch (error) {
      throw new UsageError(`COUNTERSIGN_VAPID_*: ${(error as Error).message}`);
    }
  }
  const subject = env.COUNTERSIGN_VAPID_SUBJECT?.trim();
  if (subject) {
    if (!/^(mailto:\S+|https:\/\/\S+)$/.test(subject)) {
      throw new UsageError("COUNTERSIGN_VAPID_SUBJECT must be a mailto: address or an https: URL");
    }
    options.subject = subject;
  }
  if (env.COUNTERSIGN_WEB_PUSH_ALLOW_LOOPBACK === "1") options.allowLoopbackEndpoints = true;
  return options;
}
