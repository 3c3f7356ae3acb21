import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** The envelope's first byte: AES-256-GCM, a 96-bit nonce, a 128-bit tag. A new format gets a new byte. */
const ENVELOPE_V1 = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * `base64url(version ‖ nonce ‖ AES-256-GCM(JSON) ‖ tag)`: a value only this
 * server can mint *or read* (e-mail decision links). Unlike a signed token
 * (signed-token.ts), whoever sees it in a log learns nothing: not the
 * pause, not the person. The key is derived from the web secret for one
 * `purpose`, which is also the authenticated data, so a token of one purpose
 * never opens as another.
 */
export function sealToken(secret: string, purpose: string, payload: Record<string, unknown>): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret, purpose), nonce);
  cipher.setAAD(Buffer.from(purpose, "utf8"));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.of(ENVELOPE_V1), nonce, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** The payload of a token this server sealed for `purpose`, or `null` for anything else (changed, cut, foreign). */
export function openSealedToken(secret: string, purpose: string, token: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES + 2 || bytes[0] !== ENVELOPE_V1) return null;
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const sealed = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(secret, purpose), nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(purpose, "utf8"));
    decipher.setAuthTag(tag);
    // GCM checks the tag (in constant time) in final(): nothing is parsed before it passes.
    const plain = Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8");
    return JSON.parse(plain);
  } catch {
    return null;
  }
}

const keys = new Map<string, Buffer>();

function keyFor(secret: string, purpose: string): Buffer {
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = Buffer.from(
      hkdfSync("sha256", secret, "countersign.sealed-token", `countersign.web.${purpose}`, 32),
    );
    keys.set(cacheKey, key);
  }
  return key;
}
