/** Identifier prefixes, Stripe style: the prefix says what a string names. */
export const ID_PREFIXES = {
  pause: "pau",
  proof: "prf",
  webhookMessage: "msg",
  apiKey: "key",
  auditEvent: "evt",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/** A random identifier: `<prefix>_` and 26 base32 characters (130 random bits). */
export function newId(kind: IdKind): string {
  const bytes = crypto.getRandomValues(new Uint8Array(26));
  let body = "";
  for (const byte of bytes) body += ALPHABET[byte & 31];
  return `${ID_PREFIXES[kind]}_${body}`;
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-hjkmnp-tv-z]{26}$`);
}
