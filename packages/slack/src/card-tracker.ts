import type { Pause } from "@countersign/core";
import type { webApi } from "@slack/bolt";
import type { SlackMessage } from "./card-blocks.ts";

/** Where one card was posted: the resolved channel id and the message timestamp. */
export interface PostedCard {
  channel: string;
  ts: string;
  /** The recipient target it was posted for (`#finance`, `U123`), when known. */
  target: string | null;
}

export interface RenderedCard {
  message: SlackMessage;
  /** Changes only when what the card shows changes (not with the clock). */
  fingerprint: string;
}

interface Entry {
  cards: PostedCard[];
  latest: Pause | null;
  rendered: string | null;
  queue: Promise<void>;
}

/**
 * Remembers the cards posted for each pause (in memory) and keeps them in
 * step with the pause. Updates per pause run one after another on the latest
 * state, and a terminal state is never overwritten by a stale pending one,
 * so racing callers (the click handler, `settled`, change events) cannot put
 * the buttons back. An entry is dropped once its final state is shown.
 */
export function createCardTracker(options: {
  client: webApi.WebClient;
  render: (pause: Pause) => Promise<RenderedCard>;
}) {
  const entries = new Map<string, Entry>();

  function entryFor(pauseId: string): Entry {
    let entry = entries.get(pauseId);
    if (!entry) {
      entry = { cards: [], latest: null, rendered: null, queue: Promise.resolve() };
      entries.set(pauseId, entry);
    }
    return entry;
  }

  /** Records a card; `rendered` is the fingerprint it was posted with, when just posted. */
  function remember(pauseId: string, card: PostedCard, rendered?: string): void {
    const entry = entryFor(pauseId);
    if (entry.cards.some((known) => known.channel === card.channel && known.ts === card.ts)) return;
    entry.cards.push(card);
    if (rendered !== undefined && entry.rendered === null) entry.rendered = rendered;
  }

  function cards(pauseId: string): readonly PostedCard[] {
    return entries.get(pauseId)?.cards ?? [];
  }

  /** Brings every known card of the pause up to date; resolves when Slack has them. */
  function refresh(pause: Pause): Promise<void> {
    const entry = entries.get(pause.pause_id);
    if (!entry) return Promise.resolve();
    const staleUpdate =
      entry.latest !== null && entry.latest.status !== "pending" && pause.status === "pending";
    if (!staleUpdate) entry.latest = pause;
    const run = entry.queue.then(() => flush(pause.pause_id, entry));
    entry.queue = run.catch(() => undefined);
    return run;
  }

  async function flush(pauseId: string, entry: Entry): Promise<void> {
    const pause = entry.latest;
    if (!pause) return;
    const { message, fingerprint } = await options.render(pause);
    if (fingerprint === entry.rendered) return;
    const results = await Promise.allSettled(
      entry.cards.map((card) =>
        options.client.chat.update({
          channel: card.channel,
          ts: card.ts,
          text: message.text,
          blocks: message.blocks,
        }),
      ),
    );
    const failures = results.filter((result) => result.status === "rejected");
    if (failures.length > 0) {
      // Left unrendered so the next change retries.
      throw new AggregateError(
        failures.map((failure) => failure.reason),
        `Slack: ${failures.length} of ${results.length} cards for ${pauseId} could not be updated`,
      );
    }
    entry.rendered = fingerprint;
    if (pause.status !== "pending" && entries.get(pauseId) === entry) entries.delete(pauseId);
  }

  return { remember, cards, refresh };
}

export type CardTracker = ReturnType<typeof createCardTracker>;
