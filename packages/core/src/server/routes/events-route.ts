import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { readOwnPause } from "../operations/read-pause.ts";
import { render } from "../service-context.ts";
import { type RouteDependencies, requireKey } from "./route-context.ts";

const HEARTBEAT_MS = 15_000;
/** How often an open stream checks that its key is still live: a revoked key's stream ends within ~3 s. */
const KEY_CHECK_MS = 2_000;

/**
 * `GET /v1/pauses/{id}/events`: a `status` event now and on every change,
 * then `decided` with the final pause, and the stream ends. When the key
 * that opened the stream is revoked, a `revoked` event ends it.
 */
export function registerEventsRoute(app: Hono, dependencies: RouteDependencies): void {
  const { context } = dependencies;
  app.get("/v1/pauses/:pauseId/events", async (c) => {
    const key = await requireKey(dependencies, c, ["agent", "approver", "admin"], "read pauses");
    const pauseId = c.req.param("pauseId");
    let record = await readOwnPause(context, pauseId, key);
    const signal = c.req.raw.signal;
    return streamSSE(c, async (stream) => {
      let eventId = 0;
      const send = (event: string, data: unknown) =>
        stream.writeSSE({ event, id: String(++eventId), data: JSON.stringify(data) });
      await send("status", render(context, record));
      let lastWrite = Date.now();
      while (record.status === "pending" && !signal.aborted && !stream.aborted) {
        const untilExpiry = Math.max(Date.parse(record.expiresAt) - context.now().getTime(), 0) + 5;
        const changed = await dependencies.waitForChange(
          pauseId,
          Math.min(KEY_CHECK_MS, untilExpiry),
          signal,
        );
        if (!(await dependencies.keyLiveness.isLive(key.hash))) {
          await send("revoked", { code: "unauthorized", detail: "The API key was revoked" });
          return;
        }
        const due = changed || untilExpiry <= KEY_CHECK_MS;
        if (due) {
          record = await readOwnPause(context, pauseId, key);
          if (changed || record.status !== "pending") {
            await send("status", render(context, record));
            lastWrite = Date.now();
          }
        }
        if (Date.now() - lastWrite >= HEARTBEAT_MS) {
          await stream.write(": heartbeat\n\n");
          lastWrite = Date.now();
        }
      }
      if (record.status !== "pending") await send("decided", render(context, record));
    });
  });
}
