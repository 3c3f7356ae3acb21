/**
 * Slack text for untrusted strings (agent titles, arguments, reasons).
 *
 * Cards put agent text in `plain_text` objects and `rich_text` literals,
 * which Slack never parses. Where text must be mrkdwn (the notification
 * fallback, ephemeral replies, names next to our own formatting), it goes
 * through `escapeMrkdwn` so it cannot ping, link or style anything.
 */

/** Formatting characters swapped for look-alikes: mrkdwn has no backslash escape. */
const FORMATTING_LOOKALIKES: Record<string, string> = {
  "*": "\u2217", // asterisk operator
  _: "\uFF3F", // full-width low line
  "~": "\u223C", // tilde operator
  "`": "\u02CB", // modifier letter grave accent
};

const ZERO_WIDTH_SPACE = "\u200B";

/**
 * Makes untrusted text inert in mrkdwn: `&`, `<`, `>` become entities (so
 * `<!channel>`, `<@U123>`, `<https://x|y>` cannot form), broadcast words
 * (`@channel`, `@here`, `@everyone`) are broken with a zero-width space, and
 * formatting characters are replaced with look-alikes.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(/@(channel|here|everyone)/gi, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(/[*_~`]/g, (character) => FORMATTING_LOOKALIKES[character] ?? character);
}

/** Cuts text to `max` characters (Slack rejects longer fields), marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}\u2026`;
}

/** A `plain_text` object for untrusted text: no mrkdwn, no `:emoji:` codes. */
export function plainText(text: string, max = 3_000): { type: "plain_text"; text: string; emoji: false } {
  // Slack rejects an empty text object.
  return { type: "plain_text", text: truncate(text, max) || " ", emoji: false };
}

/** A `mrkdwn` object for text we compose; `verbatim` stops Slack auto-linking and auto-mentioning. */
export function mrkdwn(text: string, max = 3_000): { type: "mrkdwn"; text: string; verbatim: true } {
  return { type: "mrkdwn", text: truncate(text, max) || " ", verbatim: true };
}
