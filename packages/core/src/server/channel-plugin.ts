import type { Pause } from "../protocol/pause.ts";
import type { Recipient } from "../protocol/pause-request.ts";
import type { ApprovalService } from "./approval-service.ts";

/** A route a channel mounts on the approval server, e.g. `POST /slack/events`. */
export interface ChannelRoute {
  method: "GET" | "POST";
  /** Absolute path; may not start with `/v1/`. */
  path: string;
  handler: (request: Request) => Promise<Response>;
}

/**
 * A way to reach approvers (Slack, e-mail, ...). The server calls `notify`
 * after a pause is opened with the recipients routed to this channel, and
 * `settled` after a pause leaves `pending` however it was decided (so a
 * Slack card or an e-mail can be updated). Failures in either are logged
 * and audited; they never fail the agent's request.
 */
export interface ChannelPlugin {
  /** The `recipients[].channel` this plugin serves. */
  channel: "slack" | "email" | "web" | "teams";
  start?(service: ApprovalService): Promise<void>;
  stop?(): Promise<void>;
  notify?(pause: Pause, recipients: Recipient[], service: ApprovalService): Promise<void>;
  settled?(pause: Pause, service: ApprovalService): Promise<void>;
  routes?(service: ApprovalService): ChannelRoute[];
}
