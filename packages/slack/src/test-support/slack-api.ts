import nock from "nock";
import { blockKitProblems } from "./block-kit-limits.ts";

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
    /** Status every response_url answers with (Slack: 404 `expired_url` after 30 minutes). */
    responseUrlStatus?: number;
    /** `users.lookupByEmail` answers: address → the member Slack returns (absent: `users_not_found`). */
    membersByEmail?: Record<string, Record<string, unknown>>;
  } = {},
) {
  const calls: SlackCall[] = [];
  /** Every Block Kit limit any card, reply or view sent to Slack broke; `done()` fails on any. */
  const limitProblems: string[] = [];
  const check = (method: string, args: Record<string, unknown>) => {
    for (const problem of blockKitProblems(args)) limitProblems.push(`${method}: ${problem}`);
  };
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
      check(method, args);
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
      if (method === "users.lookupByEmail") {
        const user = options.membersByEmail?.[String(args.email)];
        return [200, user ? { ok: true, user } : { ok: false, error: "users_not_found" }];
      }
      return [200, { ok: true }];
    });
  // Replies through an interaction's response_url, recorded as method "response_url" with the URL.
  nock("https://hooks.slack.com")
    .persist()
    .post(/.*/)
    .reply(async (request: Request) => {
      const args = { url: request.url, ...(JSON.parse(await request.text()) as Record<string, unknown>) };
      calls.push({ method: "response_url", args });
      check("response_url", args);
      const status = options.responseUrlStatus ?? 200;
      return [status, status === 200 ? "ok" : "expired_url"];
    });
  return {
    calls,
    /** Calls of one method, in order. */
    of: (method: string) => calls.filter((call) => call.method === method).map((call) => call.args),
    reset: () => {
      calls.length = 0;
    },
    limitProblems,
    done: () => {
      nock.cleanAll();
      nock.enableNetConnect();
      if (limitProblems.length > 0) {
        throw new Error(`Slack payloads broke Block Kit limits:\n${limitProblems.join("\n")}`);
      }
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
