import { CountersignError } from "../errors/countersign-error.ts";
import { type Pause, PauseSchema } from "../protocol/pause.ts";
import { abortedError, type Http, networkError } from "./http.ts";
import { readServerSentEvents, type ServerSentEvent } from "./sse.ts";

/**
 * Follows `GET /v1/pauses/{id}/events` until a decision arrives. Returns the
 * decided pause, or `null` when the stream ended first (the caller reconnects).
 */
export async function followEvents(
  http: Http,
  pauseId: string,
  signal: AbortSignal | undefined,
): Promise<Pause | null> {
  const path = `/v1/pauses/${encodeURIComponent(pauseId)}/events`;
  const label = `GET ${path}`;
  const body = await http.openEventStream({ path, signal, pauseId });
  try {
    for await (const event of readServerSentEvents(body)) {
      if (event.event !== "status" && event.event !== "decided") continue;
      const pause = pauseOf(event, label, pauseId);
      if (pause.status !== "pending") return pause;
      if (event.event === "decided") {
        throw new CountersignError("invalid_response", `${label} sent a decided event for a pending pause`, {
          pauseId,
        });
      }
    }
    return null;
  } catch (error) {
    if (error instanceof CountersignError) throw error;
    if (signal?.aborted) throw abortedError(label, signal.reason, pauseId);
    throw networkError(label, error, pauseId);
  }
}

function pauseOf(event: ServerSentEvent, label: string, pauseId: string): Pause {
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch {
    value = undefined;
  }
  const result = PauseSchema.safeParse(value);
  if (!result.success || result.data.pause_id !== pauseId) {
    throw new CountersignError(
      "invalid_response",
      `${label} sent a ${event.event} event that is not this pause`,
      {
        pauseId,
      },
    );
  }
  return result.data;
}
