import { randomBytes } from "node:crypto";
import type { Store } from "@countersign/core/server";

const SETTING = "inbox.session_secret";

/** The HMAC secret for sessions and sign-in links: made once, kept in the store, shared by every instance. */
export async function loadInboxSecret(store: Store): Promise<string> {
  return (
    (await store.getSetting(SETTING)) ??
    store.putSettingIfAbsent(SETTING, randomBytes(32).toString("base64url"))
  );
}
