import type { Pause } from "@countersign/core";
import type { BotConnector, CardLocation } from "./bot-connector.ts";
import type { TeamsCard } from "./card/adaptive-card.ts";
import { describeError } from "./describe-error.ts";

/** A card this channel knows about, and the recipient target it was posted for (null when learned from a click). */
export interface PostedCard extends CardLocation {
  target: string | null;
}

export interface RenderedCard {
  message: TeamsCard;
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
 * so racing callers (a click, `settled`, change events) cannot put the
 * buttons back. Only cards that show something else are updated. An entry is
 * dropped once every card shows the final state.
 */
export function createCardTracker(options: {
  connector: BotConnector;
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
    const known = entry.cards.find(
      (existing) =>
        existing.conversationId === card.conversationId && existing.activityId === card.activityId,
    );
    if (known) {
      known.target ??= card.target;
      return;
    }
    entry.cards.push({ ...card, rendered });
  }

  function cards(pauseId: string): readonly PostedCard[] {
    return entries.get(pauseId)?.cards ?? [];
  }

  /** Brings every known card of the pause up to date; resolves when the Bot Connector has them. */
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
        await options.connector.updateCard(card, message);
        card.rendered = fingerprint;
      }),
    );
    const failures = results.filter((result) => result.status === "rejected");
    if (failures.length > 0) {
      // Those cards keep their old fingerprint, so the next change retries them.
      const reasons = failures.map((failure) => failure.reason as unknown);
      throw new AggregateError(
        reasons,
        `Teams: ${failures.length} of ${results.length} cards for ${pauseId} could not be updated: ${reasons.map(describeError).join("; ")}`,
      );
    }
    if (pause.status !== "pending" && entries.get(pauseId) === entry) entries.delete(pauseId);
  }

  return { remember, cards, refresh };
}

export type CardTracker = ReturnType<typeof createCardTracker>;
