import type { z } from "zod";
import type { Pause } from "../protocol/pause.ts";
import type { Recipient } from "../protocol/pause-request.ts";
import type { ApprovalService } from "./approval-service.ts";

/**
 * A route a channel mounts on the approval server, e.g. `POST /slack/events`.
 * It checks its own credential (a Slack or Teams signature, an e-mail link
 * token); what it is and what it exchanges is documented in `/openapi.json`.
 */
export interface ChannelRoute {
  method: "GET" | "POST";
  /** Absolute path; may not start with `/v1/` or `/inbox/`. */
  path: string;
  handler: (request: Request) => Promise<Response>;
  /** One line for the API description. Default: the channel and path. */
  summary?: string;
  description?: string;
  /** The credential the handler checks, e.g. "Slack request signature (X-Slack-Signature)". */
  credential?: string;
  /** What the request carries. Default: whatever the sender sends (undocumented). */
  requestContentType?: string;
  /** What a success answers with. Default: `application/json`. */
  responseContentType?: string;
  /** Query parameters the handler reads, for the document. */
  query?: z.ZodType;
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
  /** Targets on this channel an admin configured (e.g. Teams conversations), which agents may name as recipients. */
  allowedTargets?(): string[];
}
