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

interface TrackedCard extends PostedCard {
  /** Fingerprint of what this card shows now; null when unknown. */
  rendered: string | null;
}

interface Entry {
  cards: TrackedCard[];
  latest: Pause | null;
  queue: Promise<void>;
}

/**
 * Remembers the cards posted for each pause (in memory) and keeps them in
 * step with the pause. Updates per pause run one after another on the latest
 * state, and a terminal state is never overwritten by a stale pending one,
 * so racing callers (the click handler, `settled`, change events) cannot put
 * the buttons back. Only cards that show something else are updated. An
 * entry is dropped once every card shows the final state.
 */
export function createCardTracker(options: {
  client: webApi.WebClient;
  render: (pause: Pause) => Promise<RenderedCard>;
}) {
  const entries = new Map<string, Entry>();

  /** Records a card; `rendered` is the fingerprint it was posted with, when just posted. */
  function remember(pauseId: string, card: PostedCard, rendered: string | null = null): void {
    let entry = entries.get(pauseId);
    if (!entry) {
      entry = { cards: [], latest: null, queue: Promise.resolve() };
      entries.set(pauseId, entry);
    }
    if (entry.cards.some((known) => known.channel === card.channel && known.ts === card.ts)) return;
    entry.cards.push({ ...card, rendered });
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
    const outdated = entry.cards.filter((card) => card.rendered !== fingerprint);
    const results = await Promise.allSettled(
      outdated.map(async (card) => {
        await options.client.chat.update({
          channel: card.channel,
          ts: card.ts,
          text: message.text,
          blocks: message.blocks,
        });
        card.rendered = fingerprint;
      }),
    );
    const failures = results.filter((result) => result.status === "rejected");
    if (failures.length > 0) {
      // Those cards keep their old fingerprint, so the next change retries them.
      throw new AggregateError(
        failures.map((failure) => failure.reason),
        `Slack: ${failures.length} of ${results.length} cards for ${pauseId} could not be updated`,
      );
    }
    if (pause.status !== "pending" && entries.get(pauseId) === entry) entries.delete(pauseId);
  }

  return { remember, cards, refresh };
}

export type CardTracker = ReturnType<typeof createCardTracker>;
