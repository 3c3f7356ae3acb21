import { randomBytes } from "node:crypto";
import type { Store } from "@countersign/core/server";

const SETTING = "email.link_secret";

/** The HMAC secret for e-mail links: made once, kept in the store, shared by every instance (first writer wins). */
export async function loadEmailLinkSecret(store: Store): Promise<string> {
  return (
    (await store.getSetting(SETTING)) ??
    store.putSettingIfAbsent(SETTING, randomBytes(32).toString("base64url"))
  );
}
