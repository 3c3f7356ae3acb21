import { streamSSE } from "hono/streaming";
import { readOwnPause } from "../operations/read-pause.ts";
import { render } from "../service-context.ts";
import { keyRoute, type RouteDependencies } from "./route-context.ts";
import { PauseParamsSchema } from "./route-schemas.ts";

const HEARTBEAT_MS = 15_000;
/** How often an open stream checks that its key is still live: a revoked key's stream ends within ~3 s. */
const KEY_CHECK_MS = 2_000;

/**
 * `GET /v1/pauses/{id}/events`: a `status` event now and on every change,
 * then `decided` with the final pause, and the stream ends. When the key
 * that opened the stream is revoked, a `revoked` event ends it.
 */
export function eventsRoute(dependencies: RouteDependencies) {
  const { context } = dependencies;
  return keyRoute({
    operationId: "followPause",
    method: "get",
    path: "/v1/pauses/{pause_id}/events",
    summary: "Follow a pause",
    description:
      "Server-Sent Events: `status` (the pause) now and on every change; `decided` (the pause) at the end; `revoked` ends the stream when its key is revoked.",
    tags: ["pauses"],
    security: { kind: "apiKey", roles: ["agent", "approver", "admin"] },
    params: PauseParamsSchema,
    responses: { 200: { description: "An event stream", contentType: "text/event-stream" } },
    errors: [401, 404, 503],
    async handle({ auth: key, params, c }) {
      const pauseId = params.pause_id;
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
    },
  });
}
