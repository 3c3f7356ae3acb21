/** Identifier prefixes, Stripe style: the prefix says what a string names. */
export const ID_PREFIXES = {
  pause: "pau",
  proof: "prf",
  receipt: "rcp",
  webhookMessage: "msg",
  apiKey: "key",
  auditEvent: "evt",
  grant: "grt",
  followUp: "fup",
  webhookEndpoint: "whe",
  delegation: "dlg",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

// Random bytes drawn in blocks: one getRandomValues call serves many ids.
let pool = new Uint8Array(0);
let poolOffset = 0;
function randomBytes(count: number): Uint8Array {
  if (poolOffset + count > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(4096));
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + count);
  poolOffset += count;
  return bytes;
}

/** A random identifier: `<prefix>_` and 26 base32 characters (130 random bits). */
export function newId(kind: IdKind): string {
  const bytes = randomBytes(26);
  let body = "";
  for (const byte of bytes) body += ALPHABET[byte & 31];
  return `${ID_PREFIXES[kind]}_${body}`;
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-hjkmnp-tv-z]{26}$`);
}
