import nock from "nock";

/** One Slack Web API call the plugin made, with its arguments decoded (blocks and views parsed). */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

const JSON_ARGUMENTS = new Set(["blocks", "view", "attachments"]);

/**
 * Intercepts https://slack.com/api with nock (slack.com cannot be reached
 * here) and records every call. Loopback stays open for the real server.
 * `chat.postMessage` answers with the channel id Slack would resolve
 * `#finance-approvals` to, and a fresh message timestamp.
 */
export function interceptSlackApi(
  options: {
    channelIds?: Record<string, string>;
    failingTargets?: readonly string[];
    socketUrl?: string;
    /** Holds every chat.postMessage reply until it resolves. */
    postGate?: Promise<void>;
  } = {},
) {
  const calls: SlackCall[] = [];
  let messageCount = 0;
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  nock("https://slack.com")
    .persist()
    .post(/^\/api\/[\w.]+$/)
    // nock 15 hands the reply function the fetch Request.
    .reply(async (request: Request) => {
      const method = new URL(request.url).pathname.replace("/api/", "");
      const args = decode(await request.text());
      calls.push({ method, args });
      if (method === "chat.postMessage") {
        await options.postGate;
        if (options.failingTargets?.includes(String(args.channel))) {
          return [200, { ok: false, error: "channel_not_found" }];
        }
        messageCount += 1;
        const target = String(args.channel);
        const channel = options.channelIds?.[target] ?? target;
        return [200, { ok: true, channel, ts: `1795255200.00010${messageCount}`, message: {} }];
      }
      if (method === "chat.update") return [200, { ok: true, channel: args.channel, ts: args.ts }];
      if (method === "chat.postEphemeral") return [200, { ok: true, message_ts: "1795255299.000900" }];
      if (method === "views.open") return [200, { ok: true, view: { id: "V0MODAL" } }];
      if (method === "apps.connections.open") return [200, { ok: true, url: options.socketUrl }];
      return [200, { ok: true }];
    });
  return {
    calls,
    /** Calls of one method, in order. */
    of: (method: string) => calls.filter((call) => call.method === method).map((call) => call.args),
    reset: () => {
      calls.length = 0;
    },
    done: () => {
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

function decode(body: string): Record<string, unknown> {
  const entries = [...new URLSearchParams(body).entries()];
  return Object.fromEntries(
    entries.map(([key, value]) => [
      key,
      JSON_ARGUMENTS.has(key) && typeof value === "string" ? JSON.parse(value) : value,
    ]),
  );
}
