import type { Pause } from "@countersign/core";
import type { Route } from "@countersign/core/server";
import { resumeWebSession } from "../../web-session/web-sessions.ts";
import type { InboxContext } from "../inbox-context.ts";
import { sessionTokenOf } from "../session/session-cookie.ts";
import { type InboxAuth, sessionRoute } from "./inbox-route.ts";

const HEARTBEAT_MS = 15_000;
/** How often an open stream re-reads its session: sign-out or revocation ends it within ~2 s. */
const SESSION_CHECK_MS = 2_000;

/**
 * `GET /inbox/api/events`: Server-Sent Events for the signed-in approver. A
 * `pause` event carries a pause every time one is opened, decided or claimed,
 * so the list and an open card update without a reload. The stream ends when
 * the session does — expired, signed out elsewhere, or its key or identity
 * revoked; the browser's EventSource reconnects after a drop.
 */
export function eventsRoute(context: InboxContext): Route<InboxAuth> {
  return sessionRoute({
    operationId: "inboxEvents",
    method: "get",
    path: "/inbox/api/events",
    summary: "Live updates (Server-Sent Events)",
    description:
      "`pause` events carry a pause each time one is opened, decided or claimed; `session-ended` when the session ends (signed out, expired, revoked).",
    tags: ["inbox"],
    security: { kind: "session" },
    responses: { 200: { description: "An event stream", contentType: "text/event-stream" } },
    errors: [401],
    handle({ auth: session, request }) {
      const token = sessionTokenOf(context, request)!;
      const signal = request.signal;
      const encoder = new TextEncoder();
      let stop = () => {};
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          let open = true;
          const send = (text: string) => {
            if (!open) return;
            try {
              controller.enqueue(encoder.encode(text));
            } catch {
              stop();
            }
          };
          const unsubscribe = context.service.onPauseChanged((pause: Pause) => {
            send(`event: pause\ndata: ${JSON.stringify(pause)}\n\n`);
          });
          const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
          const sessionCheck = setInterval(() => {
            resumeWebSession(context.store, token, context.now()).then(
              (resumed) => {
                if (resumed.ok) return;
                send("event: session-ended\ndata: {}\n\n");
                stop();
              },
              () => stop(),
            );
          }, SESSION_CHECK_MS);
          const untilExpiry = Math.max(session.expiresAt - context.now().getTime(), 0);
          const sessionEnd = setTimeout(() => {
            send("event: session-ended\ndata: {}\n\n");
            stop();
          }, untilExpiry);
          stop = () => {
            if (!open) return;
            open = false;
            unsubscribe();
            clearInterval(heartbeat);
            clearInterval(sessionCheck);
            clearTimeout(sessionEnd);
            signal.removeEventListener("abort", stop);
            try {
              controller.close();
            } catch {
              // Already closed by the reader going away.
            }
          };
          signal.addEventListener("abort", stop);
          send("retry: 3000\nevent: ready\ndata: {}\n\n");
        },
        cancel() {
          stop();
        },
      });
      return new Response(body, {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          "x-accel-buffering": "no",
        },
      });
    },
  });
}
