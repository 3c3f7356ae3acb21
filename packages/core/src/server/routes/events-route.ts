import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { readOwnPause } from "../operations/read-pause.ts";
import { render } from "../service-context.ts";
import { type RouteDependencies, requireKey } from "./route-context.ts";

const HEARTBEAT_MS = 15_000;

/**
 * `GET /v1/pauses/{id}/events`: a `status` event now and on every change,
 * then `decided` with the final pause, and the stream ends.
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
      await stream.writeSSE({
        event: "status",
        id: String(++eventId),
        data: JSON.stringify(render(context, record)),
      });
      while (record.status === "pending" && !signal.aborted && !stream.aborted) {
        const untilExpiry = Math.max(Date.parse(record.expiresAt) - context.now().getTime(), 0) + 5;
        const changed = await dependencies.waitForChange(
          pauseId,
          Math.min(HEARTBEAT_MS, untilExpiry),
          signal,
        );
        record = await readOwnPause(context, pauseId, key);
        if (changed || record.status !== "pending") {
          await stream.writeSSE({
            event: "status",
            id: String(++eventId),
            data: JSON.stringify(render(context, record)),
          });
        } else {
          await stream.write(": heartbeat\n\n");
        }
      }
      if (record.status !== "pending") {
        await stream.writeSSE({
          event: "decided",
          id: String(++eventId),
          data: JSON.stringify(render(context, record)),
        });
      }
    });
  });
}
