/** Every Block Kit text object in a message, with its type, for assertions about what Slack parses. */
export function textObjects(value: unknown): { type: string; text: string }[] {
  const found: { type: string; text: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if ((record.type === "mrkdwn" || record.type === "plain_text") && typeof record.text === "string") {
      found.push({ type: record.type, text: record.text });
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(value);
  return found;
}

/**
 * The mrkdwn Slack would parse: the fallback `text` and every mrkdwn object in
 * the blocks, without the app's own date tokens (`<!date^…>`, which are safe).
 */
export function parsedMarkup(message: { text: string; blocks: unknown }): string[] {
  const mrkdwnTexts = textObjects(message.blocks).filter((object) => object.type === "mrkdwn");
  return [message.text, ...mrkdwnTexts.map((object) => object.text)].map((text) =>
    text.replace(/<!date\^\d+\^[^|>]*\|[^<>]*>/g, "(date)"),
  );
}

/** Markup that would ping, link or mention if Slack parsed it. */
export const LIVE_MARKUP = /<!|<@|<#|<https?:|<mailto:|@channel|@here|@everyone/i;
