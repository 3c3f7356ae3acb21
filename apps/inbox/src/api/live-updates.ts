import type { Pause } from "@countersign/core";

type PauseListener = (pause: Pause) => void;

const pauseListeners = new Set<PauseListener>();
const reconnectListeners = new Set<() => void>();

/** Hears every pause that changes anywhere (opened, decided elsewhere, claimed). */
export function onPauseChanged(listener: PauseListener): () => void {
  pauseListeners.add(listener);
  return () => pauseListeners.delete(listener);
}

/** Hears the stream coming back after a drop: changes in between were missed, so reload. */
export function onReconnected(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/** Opens the inbox's event stream; returns a function that closes it. */
export function connectLiveUpdates(onSessionEnded: () => void): () => void {
  const source = new EventSource("/inbox/api/events");
  let dropped = false;
  source.addEventListener("pause", (event) => {
    const pause = JSON.parse((event as MessageEvent<string>).data) as Pause;
    for (const listener of pauseListeners) listener(pause);
  });
  source.addEventListener("ready", () => {
    if (!dropped) return;
    dropped = false;
    for (const listener of reconnectListeners) listener();
  });
  source.addEventListener("session-ended", () => {
    source.close();
    onSessionEnded();
  });
  source.addEventListener("error", () => {
    dropped = true;
  });
  return () => source.close();
}
