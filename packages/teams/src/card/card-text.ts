/**
 * Adaptive Card text for untrusted strings (agent titles, arguments, reasons).
 *
 * Teams parses every TextBlock and fact as Adaptive Card markdown, expands
 * `{{DATE()}}`/`{{TIME()}}` functions and turns URLs into links. Markdown
 * backslash escapes are not honoured by every Teams client, so the
 * characters that would act are swapped for look-alikes instead: agent text
 * cannot link, ping, style, or fake a date, a button or an approval.
 */

const LOOKALIKES: Record<string, string> = {
  "[": "\uFF3B", // full-width brackets: no [text](url) links or ![images]
  "]": "\uFF3D",
  "<": "\u2039", // single angle quotes: no <at>mentions</at> or markup
  ">": "\u203A",
  "*": "\u2217", // asterisk operator
  _: "\uFF3F", // full-width low line
  "~": "\u223C", // tilde operator
  "`": "\u02CB", // modifier letter grave accent
};

const ZERO_WIDTH_SPACE = "\u200B";
/** Bidirectional overrides and isolates: they could reorder what an approver reads. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Makes untrusted text inert in Adaptive Card text, keeping it readable. */
export function neutralize(text: string): string {
  return (
    text
      .replace(BIDI_CONTROLS, "")
      .replace(/[[\]<>*_~`]/g, (character) => LOOKALIKES[character] ?? character)
      // No template functions: "{{DATE(...)}}" stays literal.
      .replaceAll("{{", `{${ZERO_WIDTH_SPACE}{`)
      // No automatic links: a URL or a bare www. name reads the same but is not clickable.
      .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
      .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}${ZERO_WIDTH_SPACE}.`)
  );
}

/** Cuts text to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}\u2026`;
}

/** Untrusted text, cut to `max` characters first and then made inert (so the cut cannot split an escape). */
export function safeText(text: string, max: number): string {
  return neutralize(truncate(text, max));
}
