/** A named pattern; `accept` can veto a regex match (the Luhn check for card numbers). */
export interface MaskPattern {
  name: string;
  regex: RegExp;
  accept?: (match: string) => boolean;
}

/** Luhn checksum: cuts false positives on long digit runs (order ids, timestamps). */
export function passesLuhn(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, "");
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * The built-in patterns a masking rule names. API keys are matched by the
 * prefixes the large providers put on them, so ordinary words are left alone.
 */
export const BUILT_IN_PATTERNS = {
  card_number: {
    name: "card_number",
    regex: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    accept: passesLuhn,
  },
  api_key: {
    name: "api_key",
    regex: new RegExp(
      [
        String.raw`\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}`, // Stripe
        String.raw`\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}`, // OpenAI, Anthropic
        String.raw`\bgh[pousr]_[A-Za-z0-9]{36,}`, // GitHub
        String.raw`\bgithub_pat_[A-Za-z0-9_]{22,}`,
        String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`, // Slack
        String.raw`\bAKIA[0-9A-Z]{16}\b`, // AWS access key id
        String.raw`\bAIza[0-9A-Za-z_-]{35}`, // Google
        String.raw`\bcsk_(?:agent|approver|admin|executor)_[A-Za-z0-9_-]{20,}`, // Countersign
        String.raw`\bwhsec_[A-Za-z0-9+/=]{20,}`, // Standard Webhooks secrets
      ].join("|"),
      "g",
    ),
  },
  email: {
    name: "email",
    regex: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
  },
} satisfies Record<string, MaskPattern>;

export type BuiltInPatternName = keyof typeof BUILT_IN_PATTERNS;
