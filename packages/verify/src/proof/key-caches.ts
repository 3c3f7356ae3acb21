import type { AnyCryptoBackend } from "../crypto/crypto-backend.ts";
import { utf8 } from "../encoding/encoding.ts";
import { CountersignError } from "../errors/countersign-error.ts";
import type { PublicJwk } from "../protocol/keys.ts";
import { MIN_PROOF_SECRET_LENGTH } from "../protocol/proof.ts";

export interface KeyCaches {
  hmacKey(secret: string): Promise<{ kid: string; key: unknown }> | { kid: string; key: unknown };
  publicKey(jwk: PublicJwk): Promise<unknown> | unknown;
}

// Importing a key costs more than verifying with it: keep the few a process uses.
const CACHE_LIMIT = 32;

function cached<Value>(
  cache: Map<string, Value | Promise<Value>>,
  id: string,
  load: () => Value | Promise<Value>,
) {
  const hit = cache.get(id);
  if (hit !== undefined) return hit;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const value = load();
  cache.set(id, value);
  if (value instanceof Promise) value.catch(() => cache.delete(id));
  return value;
}

// The key id of a proof secret is a short hash, so verifiers tell secrets apart without seeing them.
const kidHashInput = (secret: string) => `countersign.kid.${secret}`;
const kidOf = (hex: string) => `hs_${hex.slice(0, 16)}`;

/** `hmacKeyId(secret)`: the `kid` a proof signed with this secret carries. */
export function createHmacKeyId(backend: AnyCryptoBackend): (secret: string) => Promise<string> {
  return async (secret) => kidOf(await backend.sha256Hex(kidHashInput(secret)));
}

/**
 * Imported keys, per backend: on Node these are `KeyObject`s and the cache
 * answers synchronously (no promise, no await on the hot path).
 */
export function createKeyCaches(backend: AnyCryptoBackend): KeyCaches {
  const hmacKeys = new Map<string, { kid: string; key: unknown } | Promise<{ kid: string; key: unknown }>>();
  const publicKeys = new Map<string, unknown>();

  function unusableSecret(): never {
    throw new CountersignError(
      "invalid_request",
      `Unusable proof secret: a proof secret needs at least ${MIN_PROOF_SECRET_LENGTH} characters`,
    );
  }

  function loadHmacKey(secret: string) {
    if (secret.length < MIN_PROOF_SECRET_LENGTH) unusableSecret();
    const hex = backend.sha256Hex(kidHashInput(secret));
    const key = backend.importHmacKey(utf8(secret));
    if (typeof hex === "string" && !(key instanceof Promise)) return { kid: kidOf(hex), key };
    return Promise.all([hex, key]).then(([digest, imported]) => ({ kid: kidOf(digest), key: imported }));
  }

  function loadPublicKey(jwk: PublicJwk) {
    const unusable = (error: unknown): never => {
      throw new CountersignError(
        "invalid_request",
        `Unusable public key ${jwk.kid}: ${(error as Error).message}`,
      );
    };
    try {
      const key = backend.importEd25519PublicKey(jwk.x);
      return key instanceof Promise ? key.catch(unusable) : key;
    } catch (error) {
      return unusable(error);
    }
  }

  return {
    hmacKey: (secret) => cached(hmacKeys, secret, () => loadHmacKey(secret)),
    publicKey: (jwk) => cached(publicKeys, jwk.x, () => loadPublicKey(jwk)),
  };
}
