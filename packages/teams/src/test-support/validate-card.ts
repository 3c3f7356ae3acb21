import { createRequire } from "node:module";

interface SerializationEvent {
  message: string;
}
interface AdaptiveCardsLibrary {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: SerializationEvent[] };
    toJSON(context: unknown): unknown;
  };
  SerializationContext: new (
    version: unknown,
  ) => {
    eventCount: number;
    getEventAt(index: number): SerializationEvent;
  };
  Version: new (major: number, minor: number) => unknown;
}

// The package's `lib` is extensionless ESM that Node cannot load; its UMD bundle parses and
// validates without a DOM (rendering is the only part that needs one).
const AdaptiveCards = createRequire(import.meta.url)(
  "adaptivecards/dist/adaptivecards.js",
) as AdaptiveCardsLibrary;

/**
 * Checks a card against the Adaptive Cards object model (the `adaptivecards`
 * package) at schema 1.5: every parse warning (unknown element, invalid enum
 * value, wrong type) and every validation failure (missing url, duplicate
 * input id) is returned, and the card must survive a round trip unchanged,
 * so no property was dropped as unknown. `msteams` is Teams' host extension,
 * which the library does not model.
 */
export function adaptiveCardProblems(card: Record<string, unknown>): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(new AdaptiveCards.Version(1, 5));
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1)
    problems.push(context.getEventAt(index).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  const { msteams: _teamsExtension, ...portable } = card;
  const roundTrip = parsed.toJSON(new AdaptiveCards.SerializationContext(new AdaptiveCards.Version(1, 5)));
  if (JSON.stringify(sortKeys(roundTrip)) !== JSON.stringify(sortKeys(portable))) {
    problems.push(`the card changed in a round trip: ${JSON.stringify(roundTrip)}`);
  }
  return problems;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, child]) => [key, sortKeys(child)]),
  );
}

/** Every text a Teams client parses as markdown: TextBlock texts and fact titles and values. */
export function markdownTexts(card: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    if (record.type === "TextBlock" && typeof record.text === "string") found.push(record.text);
    if (typeof record.title === "string" && typeof record.value === "string" && !("type" in record)) {
      found.push(record.title, record.value);
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(card);
  return found;
}
