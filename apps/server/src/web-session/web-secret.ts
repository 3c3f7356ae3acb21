import { randomBytes } from "node:crypto";
import type { Store } from "@countersign/core/server";

const SETTING = "web.secret";

/**
 * The one HMAC secret of the web surfaces (inbox sessions' CSRF tokens,
 * sign-in links, e-mail decision links): made once, kept in the store,
 * shared by every instance (first writer wins). Purposes keep its uses apart.
 */
export async function loadWebSecret(store: Store): Promise<string> {
  return (
    (await store.getSetting(SETTING)) ??
    store.putSettingIfAbsent(SETTING, randomBytes(32).toString("base64url"))
  );
}
