// The Countersign inbox's service worker: notifications, and nothing cached.
//
// It keeps no cache at all. Every request goes to the network as if there were
// no worker: API answers, pauses and decisions are never stored or replayed.
// The one thing it adds to fetching is a short "you are offline" page when a
// page of the inbox cannot be loaded at all.

const OFFLINE_PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Countersign inbox: offline</title>
<body style="font-family:system-ui,sans-serif;margin:2rem;line-height:1.5">
<h1>You are offline</h1>
<p>The inbox needs the network to show pauses and to decide them. Nothing was decided.</p>
<p><a href="">Try again</a></p>
</body></html>`;

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  // Only page loads, and only when the network fails; everything else is not touched.
  if (event.request.mode !== "navigate" || event.request.method !== "GET") return;
  event.respondWith(
    fetch(event.request).catch(
      () =>
        new Response(OFFLINE_PAGE, {
          status: 503,
          headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
        }),
    ),
  );
});

/** The link in a push, only when it is a page of this inbox (same origin, under /inbox/). */
function inboxLink(url) {
  try {
    const link = new URL(url, self.location.origin);
    return link.origin === self.location.origin && link.pathname.startsWith("/inbox/") ? link.href : null;
  } catch {
    return null;
  }
}

const RISK_LABELS = { low: "Low risk", medium: "Medium risk", high: "High risk", critical: "Critical risk" };

self.addEventListener("push", (event) => {
  let message = null;
  try {
    message = event.data ? event.data.json() : null;
  } catch {
    message = null;
  }
  const link = message && typeof message.url === "string" ? inboxLink(message.url) : null;
  const title = message && typeof message.title === "string" ? message.title : "An action is waiting for you";
  const risk = message && RISK_LABELS[message.risk];
  event.waitUntil(
    self.registration.showNotification(title, {
      body: `${risk ?? "Risk not stated"} · waiting for your decision`,
      icon: "/inbox/icons/icon-192.png",
      badge: "/inbox/icons/icon-192.png",
      // One notification per pause: an escalation replaces the first.
      tag: message && typeof message.pause_id === "string" ? `pause:${message.pause_id}` : "countersign",
      requireInteraction: message?.risk === "critical",
      data: { url: link ?? "/inbox/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = inboxLink(event.notification.data?.url) ?? new URL("/inbox/", self.location.origin).href;
  event.waitUntil(
    (async () => {
      // An inbox window this worker controls is reused; otherwise a new one opens.
      for (const client of await self.clients.matchAll({ type: "window" })) {
        try {
          const focused = await client.focus();
          return await focused.navigate(url);
        } catch {
          // Not navigable from here (e.g. it is going away): open a window instead.
        }
      }
      return self.clients.openWindow(url);
    })(),
  );
});
