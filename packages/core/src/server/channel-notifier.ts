import type { Pause } from "../protocol/pause.ts";
import type { Recipient } from "../protocol/pause-request.ts";
import type { PauseRecord } from "../store/records.ts";
import type { ApprovalService } from "./approval-service.ts";
import type { ChannelPlugin } from "./channel-plugin.ts";
import { renderPause } from "./render-pause.ts";
import type { Logger } from "./service-context.ts";

/** Told when this process opened or escalated a pause (see `ApprovalService.onPauseRouted`). */
export type PauseRoutedListener = (pause: Pause, event: "opened" | "escalated") => Promise<void> | void;

/**
 * Tells the channels (Slack, e-mail) about a new, escalated or settled pause, off the
 * request path: a failing channel is logged and never fails the agent.
 * `idle()` resolves when every notification in flight has finished.
 */
export function createChannelNotifier(options: {
  channels: readonly ChannelPlugin[];
  service: () => ApprovalService;
  baseUrl: () => string;
  log: Logger;
}) {
  const inFlight = new Set<Promise<unknown>>();
  const routedListeners = new Set<PauseRoutedListener>();

  function track(work: Promise<void>, what: Record<string, unknown>): void {
    const tracked = work.catch((error: unknown) => {
      options.log.error("channel notification failed", {
        ...what,
        error: error instanceof Error ? error.message : String(error),
      });
    });
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  }

  function notify(
    record: PauseRecord,
    event: "opened" | "settled" | "escalated",
    escalationRecipients: Recipient[] = [],
  ): void {
    const pause = renderPause(record, options.baseUrl());
    for (const channel of options.channels) {
      // An escalation tells the escalation's recipients; a channel sees only its own.
      const candidates = event === "escalated" ? escalationRecipients : pause.recipients;
      const recipients = candidates.filter((recipient) => recipient.channel === channel.channel);
      let work: Promise<void> | undefined;
      if (event !== "settled" && recipients.length > 0)
        work = channel.notify?.(pause, recipients, options.service());
      if (event === "settled") work = channel.settled?.(pause, options.service());
      if (!work) continue;
      track(work, { channel: channel.channel, pause_id: record.pauseId });
    }
    if (event === "settled") return;
    for (const listener of routedListeners) {
      track(
        Promise.resolve().then(() => listener(pause, event)),
        { channel: "routed listener", pause_id: record.pauseId },
      );
    }
  }

  function onRouted(listener: PauseRoutedListener): () => void {
    routedListeners.add(listener);
    return () => routedListeners.delete(listener);
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  }

  return { notify, onRouted, idle };
}
