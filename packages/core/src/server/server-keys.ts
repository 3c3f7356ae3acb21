import { randomBytes } from "node:crypto";
import {
  generateEd25519Jwk,
  loadSigningKeys,
  type PrivateEd25519Jwk,
  publicJwkOf,
  type SigningKeys,
} from "../proof/signing-keys.ts";
import type { JwkSet } from "../protocol/keys.ts";
import type { Store } from "../store/store.ts";
import { generateWebhookSecret } from "../webhooks/standard-webhooks.ts";
import { CURRENT_ED25519_SETTING, retiredPublicKeys } from "./key-rotation.ts";

export interface ServerSecrets {
  proofSecret: string;
  webhookSecret: string;
  ed25519: PrivateEd25519Jwk;
}

export interface ServerKeys {
  secrets: ServerSecrets;
  signing: SigningKeys;
  jwks: JwkSet;
}

/**
 * Loads the proof secret, the webhook secret and the Ed25519 key. Each one
 * given in `configured` wins; any other is read from the store, or generated
 * and stored on first start (first writer wins, so instances sharing a
 * database agree).
 */
export async function loadServerKeys(store: Store, configured: Partial<ServerSecrets>): Promise<ServerKeys> {
  const proofSecret =
    configured.proofSecret ??
    (await settingOrCreate(store, "proof_secret", () => `cs_proof_${randomBytes(32).toString("base64url")}`));
  const webhookSecret =
    configured.webhookSecret ??
    (await settingOrCreate(store, "webhook_secret", () => generateWebhookSecret()));
  const ed25519 =
    configured.ed25519 ??
    (JSON.parse(
      await settingOrCreateAsync(store, CURRENT_ED25519_SETTING, async () =>
        JSON.stringify(await generateEd25519Jwk()),
      ),
    ) as PrivateEd25519Jwk);
  const signing = await loadSigningKeys({ secret: proofSecret, ed25519 });
  return {
    secrets: { proofSecret, webhookSecret, ed25519 },
    signing,
    // The current key first, then every retired one: proofs they signed still verify.
    jwks: { keys: [await publicJwkOf(ed25519), ...(await retiredPublicKeys(store))] },
  };
}

async function settingOrCreate(store: Store, name: string, create: () => string): Promise<string> {
  return (await store.getSetting(name)) ?? store.putSettingIfAbsent(name, create());
}

async function settingOrCreateAsync(
  store: Store,
  name: string,
  create: () => Promise<string>,
): Promise<string> {
  return (await store.getSetting(name)) ?? store.putSettingIfAbsent(name, await create());
}
