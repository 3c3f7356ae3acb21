import type { Store } from "@countersign/core/server";
import webPush from "web-push";
import { z } from "zod";

/** The server's VAPID key pair (RFC 8292), base64url as `web-push generate-vapid-keys` prints it. */
export interface VapidKeys {
  /** Uncompressed P-256 point (65 bytes): browsers subscribe with it. */
  publicKey: string;
  /** P-256 private scalar (32 bytes): signs the push service's JWT. */
  privateKey: string;
}

const SETTING = "push.vapid";

const StoredKeysSchema = z.strictObject({
  v: z.literal(1),
  public_key: z.string(),
  private_key: z.string(),
});

/**
 * The VAPID keys: the configured pair, else the one kept in the store's
 * settings, made on first start and shared by every instance (first writer
 * wins, like the signing keys). A browser subscribed with the public key, so
 * changing it silently orphans every subscription: it never changes by itself.
 */
export async function loadVapidKeys(store: Store, configured?: VapidKeys): Promise<VapidKeys> {
  if (configured) return checkVapidKeys(configured);
  const stored =
    (await store.getSetting(SETTING)) ??
    (await store.putSettingIfAbsent(SETTING, JSON.stringify(newStoredKeys())));
  const parsed = StoredKeysSchema.parse(JSON.parse(stored));
  return checkVapidKeys({ publicKey: parsed.public_key, privateKey: parsed.private_key });
}

function newStoredKeys(): z.infer<typeof StoredKeysSchema> {
  const keys = webPush.generateVAPIDKeys();
  return { v: 1, public_key: keys.publicKey, private_key: keys.privateKey };
}

/** Refuses a pair that could not work (wrong sizes), naming which half is wrong. */
export function checkVapidKeys(keys: VapidKeys): VapidKeys {
  const size = (text: string) => (/^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, "base64url").length : 0);
  if (size(keys.publicKey) !== 65 || Buffer.from(keys.publicKey, "base64url")[0] !== 4) {
    throw new Error("The VAPID public key must be an uncompressed P-256 point (65 bytes, base64url)");
  }
  if (size(keys.privateKey) !== 32) {
    throw new Error("The VAPID private key must be a P-256 private key (32 bytes, base64url)");
  }
  return keys;
}
