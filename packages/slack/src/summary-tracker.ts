import { randomUUID } from "node:crypto";
import type { BatchDecisionItem, Pause } from "@countersign/core";
import type { ApprovalService } from "@countersign/core/server";
import type { webApi } from "@slack/bolt";
import { type BatchOutcome, renderSummary, type SummaryBatch } from "./summary-blocks.ts";
import { createBurstWindow, MAX_SUMMARY_ITEMS, type SummaryOptions } from "./summary-window.ts";

interface PauseSummary {
  id: string;
  /** Target and action type: the burst it sums up. */
  key: string;
  target: string;
  actionType: string;
  /** Collected pauses by id, in arrival order, as last known. */
  items: Map<string, Pause>;
  /** Where the summary message is, once posted. */
  location: { channel: string; ts: string } | null;
  lastJoinedAt: number;
  reviewedIndividuallyBy: string | null;
  lastBatch: SummaryBatch | null;
  /** What the message shows now (JSON of the blocks); null before it is posted. */
  rendered: string | null;
  /** Posts and updates of this summary run one after another. */
  queue: Promise<void>;
  /** An "Approve all" is running: it updates the message once, at the end. */
  deciding: boolean;
}

/** Where a pause goes for one Slack target: its own card (in a thread, once reviewed one by one), or a summary. */
export type SummaryRoute =
  | { kind: "card"; thread: { channel: string; ts: string } | null }
  | { kind: "collected" };

export interface SummaryTrackerDependencies {
  options: Required<SummaryOptions>;
  client: webApi.WebClient;
  service: () => ApprovalService;
  now: () => Date;
  /** Posts a pause's own card to a target, in the summary's thread. */
  postCard: (pause: Pause, target: string, thread: { channel: string; ts: string }) => Promise<void>;
  /** False when the pause's card hides part of it and the admin requires the inbox for those. */
  approvableInSlack: (pause: Pause) => Promise<boolean>;
}

export const SUMMARY_GONE_TEXT =
  "This summary is no longer tracked (the Countersign server restarted, or summaries were turned off). Nothing changed. Decide these requests in the inbox.";

/**
 * Sums up bursts of similar pauses for one Slack target: once more than
 * `threshold` pauses of one action type arrive within the window, further
 * pauses of that burst join one summary message (kept in step with their
 * status) instead of getting a card each. Summaries live in memory.
 */
export function createSummaryTracker(dependencies: SummaryTrackerDependencies) {
  const { options, client } = dependencies;
  const burst = createBurstWindow(options.windowSeconds);
  const windowMs = options.windowSeconds * 1_000;
  /** The summary still collecting, per target and action type. */
  const open = new Map<string, PauseSummary>();
  const byId = new Map<string, PauseSummary>();
  /** Summaries a pause is in, per target (`pauseId target`). */
  const byPause = new Map<string, PauseSummary>();

  /**
   * Counts the pause's arrival at the target and sorts it: its own card, or
   * into the burst's summary (posted, or updated, before this resolves).
   */
  async function route(pause: Pause, target: string): Promise<SummaryRoute> {
    const at = dependencies.now().getTime();
    const key = JSON.stringify([target, pause.action.type]);
    const arrived = burst.arrive(key, at);
    let summary = open.get(key);
    if (summary && (at - summary.lastJoinedAt >= windowMs || summary.items.size >= MAX_SUMMARY_ITEMS)) {
      // The burst ended, or the summary is full: it stops collecting.
      open.delete(key);
      if (allSettled(summary)) forget(summary);
      summary = undefined;
    }
    if (!summary) {
      if (pause.status !== "pending" || arrived <= options.threshold) return { kind: "card", thread: null };
      summary = {
        id: `sum_${randomUUID().replaceAll("-", "")}`,
        key,
        target,
        actionType: pause.action.type,
        items: new Map(),
        location: null,
        lastJoinedAt: at,
        reviewedIndividuallyBy: null,
        lastBatch: null,
        rendered: null,
        queue: Promise.resolve(),
        deciding: false,
      };
      open.set(key, summary);
      byId.set(summary.id, summary);
    }
    summary.items.set(pause.pause_id, pause);
    summary.lastJoinedAt = at;
    byPause.set(`${pause.pause_id} ${target}`, summary);
    if (summary.reviewedIndividuallyBy && summary.location) {
      // Once someone reviews one by one, the rest of the burst joins the thread as cards.
      await flush(summary);
      return { kind: "card", thread: summary.location };
    }
    await flush(summary);
    if (summary.location) {
      await dependencies.service().recordEvent(
        pause.pause_id,
        "pause.notified",
        { kind: "system", id: "slack" },
        {
          channel: "slack",
          target,
          slack_channel: summary.location.channel,
          summary_ts: summary.location.ts,
        },
      );
    }
    return { kind: "collected" };
  }

  /** Whether the pause was collected into a summary for this target (so it gets no card there). */
  function collected(pauseId: string, target: string): boolean {
    return byPause.has(`${pauseId} ${target}`);
  }

  /** Shows a pause's new status on every summary it is in. */
  async function refresh(pause: Pause): Promise<void> {
    const summaries = new Set(
      [...byPause.entries()]
        .filter(([key]) => key.startsWith(`${pause.pause_id} `))
        .map(([, summary]) => summary),
    );
    await Promise.all(
      [...summaries].map(async (summary) => {
        const known = summary.items.get(pause.pause_id);
        // A stale pending state never overwrites an outcome.
        if (known && known.status !== "pending" && pause.status === "pending") return;
        summary.items.set(pause.pause_id, pause);
        if (!summary.deciding) await flush(summary);
      }),
    );
  }

  /**
   * "Approve all": decides every pending pause of the summary as this
   * approver through the server's batch decision (each under its own
   * rules), then shows each result on the summary. Answers a reply for the
   * clicker when nothing was attempted.
   */
  async function approveAll(
    summaryId: string,
    identity: string,
    clicked: { channel: string | null; ts: string | null },
  ): Promise<string | null> {
    const summary = byId.get(summaryId);
    if (!summary) return SUMMARY_GONE_TEXT;
    adoptLocation(summary, clicked);
    if (summary.reviewedIndividuallyBy) {
      return "These requests were posted one by one in this summary's thread: decide them there. Nothing changed.";
    }
    if (summary.deciding) return "An Approve all on this summary is already running. Nothing changed.";
    summary.deciding = true;
    try {
      await reload(summary);
      const pending = [...summary.items.values()].filter((pause) => pause.status === "pending");
      if (pending.length === 0) return "Nothing in this summary is pending any more. Nothing changed.";
      const results: SummaryBatch["results"] = [];
      const decidable: Pause[] = [];
      for (const pause of pending) {
        if (await dependencies.approvableInSlack(pause)) decidable.push(pause);
        else
          results.push({
            pause,
            outcome: "inbox_required",
            reason: "its card cannot show the whole request, so it must be approved in the inbox",
          });
      }
      if (decidable.length > 0) {
        const batch = await dependencies
          .service()
          .decideBatch(
            { pause_ids: decidable.map((pause) => pause.pause_id), decision: "approve" },
            { identity, channel: "slack" },
          );
        await reload(summary);
        for (const item of batch.results) {
          const pause = summary.items.get(item.pause_id);
          if (pause) results.push({ pause, ...outcomeOf(item) });
        }
      }
      const order = [...summary.items.keys()];
      results.sort((a, b) => order.indexOf(a.pause.pause_id) - order.indexOf(b.pause.pause_id));
      summary.lastBatch = { by: identity, at: dependencies.now().toISOString(), results };
    } finally {
      summary.deciding = false;
    }
    await flush(summary);
    return null;
  }

  /** "Review individually": posts a card for each pending pause in the summary's thread. */
  async function reviewIndividually(
    summaryId: string,
    identity: string,
    clicked: { channel: string | null; ts: string | null },
  ): Promise<string | null> {
    const summary = byId.get(summaryId);
    if (!summary) return SUMMARY_GONE_TEXT;
    adoptLocation(summary, clicked);
    if (summary.reviewedIndividuallyBy) {
      return "These requests are already posted one by one in this summary's thread. Nothing changed.";
    }
    const location = summary.location;
    if (!location) throw new Error("summary click without the message's channel and ts");
    summary.reviewedIndividuallyBy = identity;
    await reload(summary);
    const failures: unknown[] = [];
    for (const pause of summary.items.values()) {
      if (pause.status !== "pending") continue;
      try {
        await dependencies.postCard(pause, summary.target, location);
      } catch (error) {
        failures.push(error);
      }
    }
    await flush(summary);
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `Slack: ${failures.length} cards of summary ${summary.id} were not posted`,
      );
    }
    return null;
  }

  /** The click names the message: a summary whose post seemed to fail is still found there. */
  function adoptLocation(
    summary: PauseSummary,
    clicked: { channel: string | null; ts: string | null },
  ): void {
    if (!summary.location && clicked.channel && clicked.ts) {
      summary.location = { channel: clicked.channel, ts: clicked.ts };
    }
  }

  async function reload(summary: PauseSummary): Promise<void> {
    for (const pauseId of summary.items.keys()) {
      const current = await dependencies.service().getPause(pauseId);
      if (current) summary.items.set(pauseId, current);
    }
  }

  /** Posts the summary, or updates it when what it shows changed; in order, on the latest state. */
  function flush(summary: PauseSummary): Promise<void> {
    const run = summary.queue.then(async () => {
      const message = renderSummary({
        summaryId: summary.id,
        actionType: summary.actionType,
        items: [...summary.items.values()],
        threshold: options.threshold,
        windowSeconds: options.windowSeconds,
        reviewedIndividuallyBy: summary.reviewedIndividuallyBy,
        lastBatch: summary.lastBatch,
      });
      const fingerprint = JSON.stringify(message.blocks);
      if (summary.location && summary.rendered === fingerprint) return;
      if (!summary.location) {
        const result = await client.chat.postMessage({
          channel: summary.target,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!result.channel || !result.ts) throw new Error("chat.postMessage returned no channel or ts");
        summary.location = { channel: result.channel, ts: result.ts };
      } else {
        await client.chat.update({
          channel: summary.location.channel,
          ts: summary.location.ts,
          text: message.text,
          blocks: message.blocks,
        });
      }
      summary.rendered = fingerprint;
      // Every pause is settled and the message shows it: nothing is left to track but an open burst.
      if (allSettled(summary)) {
        for (const pauseId of summary.items.keys()) byPause.delete(`${pauseId} ${summary.target}`);
        if (open.get(summary.key) !== summary) forget(summary);
      }
    });
    summary.queue = run.catch(() => undefined);
    return run;
  }

  function forget(summary: PauseSummary): void {
    byId.delete(summary.id);
    for (const pauseId of summary.items.keys()) byPause.delete(`${pauseId} ${summary.target}`);
  }

  return { route, collected, refresh, approveAll, reviewIndividually };
}

export type SummaryTracker = ReturnType<typeof createSummaryTracker>;

function allSettled(summary: PauseSummary): boolean {
  return [...summary.items.values()].every((pause) => pause.status !== "pending");
}

function outcomeOf(item: BatchDecisionItem): { outcome: BatchOutcome; reason: string | null } {
  if (!item.error) {
    return item.status === "pending"
      ? { outcome: "awaiting", reason: null }
      : { outcome: "approved", reason: null };
  }
  if (item.error.code === "already_decided") return { outcome: "already_decided", reason: item.error.detail };
  if (item.error.status === 403 || item.error.code === "already_approved") {
    return { outcome: "refused", reason: item.error.detail };
  }
  return { outcome: "failed", reason: "Countersign could not record this decision; nothing was decided" };
}
