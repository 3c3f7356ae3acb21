import { generateEd25519Jwk, type PrivateEd25519Jwk, publicJwkOf } from "../proof/signing-keys.ts";
import { type PublicJwk, PublicJwkSchema } from "../protocol/keys.ts";
import type { Store } from "../store/store.ts";

export const CURRENT_ED25519_SETTING = "ed25519_private_jwk";
/** Public halves of keys that signed proofs once: published forever, so old proofs still verify. */
export const RETIRED_ED25519_SETTING = "ed25519_retired_public_jwks";

/** The retired public keys kept in the store (none before the first rotation). */
export async function retiredPublicKeys(store: Store): Promise<PublicJwk[]> {
  const stored = await store.getSetting(RETIRED_ED25519_SETTING);
  if (stored === null) return [];
  return (JSON.parse(stored) as unknown[]).map((entry) => PublicJwkSchema.parse(entry));
}

/**
 * Replaces the stored Ed25519 signing key with a new one (a new `kid`) and
 * keeps the old public key published in `GET /v1/keys`, so every proof it
 * signed still verifies; verifiers that pinned the old set add the new key.
 * Servers pick the new key up when they restart. Not for a key given in
 * configuration (`ed25519Key`): rotate that where it is configured.
 */
export async function rotateSigningKey(store: Store): Promise<{ retired: PublicJwk; current: PublicJwk }> {
  const stored = await store.getSetting(CURRENT_ED25519_SETTING);
  if (stored === null) throw new Error("this store has no signing key yet: start the server once first");
  const old = JSON.parse(stored) as PrivateEd25519Jwk;
  const next = await generateEd25519Jwk();
  const retired = await publicJwkOf(old);
  const kept = (await retiredPublicKeys(store)).filter((key) => key.kid !== retired.kid);
  // Retired first: a crash between the two writes leaves the old key current and still published.
  await store.putSetting(RETIRED_ED25519_SETTING, JSON.stringify([...kept, retired]));
  await store.putSetting(CURRENT_ED25519_SETTING, JSON.stringify(next));
  return { retired, current: await publicJwkOf(next) };
}
