import { signSlackRequest } from "../slack-signature.ts";

export const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";
export const FINANCE_CHANNEL_ID = "C0FINANCE";
/** The `response_url` every click payload here carries. */
export const RESPONSE_URL = "https://hooks.slack.com/actions/T0TEAM/1/abc";

/** A reply only the clicker sees, as the app posts it to the click's `response_url`. */
export function ephemeralReply(text: unknown) {
  return { url: RESPONSE_URL, response_type: "ephemeral", replace_original: false, text };
}

interface Click {
  userId: string;
  actionId: "countersign_approve" | "countersign_reject" | "countersign_open_inbox";
  pauseId: string;
  ts: string;
  channel?: string;
  /** null: a payload without one (the app falls back to chat.postEphemeral). */
  responseUrl?: string | null;
}

/** A `block_actions` payload as Slack sends it for a button on a card. */
export function clickPayload(click: Click): Record<string, unknown> {
  const channel = click.channel ?? FINANCE_CHANNEL_ID;
  return {
    type: "block_actions",
    user: {
      id: click.userId,
      username: click.userId.toLowerCase(),
      name: click.userId.toLowerCase(),
      team_id: "T0TEAM",
    },
    api_app_id: "A0COUNTERSIGN",
    token: "verification-token-unused",
    container: { type: "message", message_ts: click.ts, channel_id: channel, is_ephemeral: false },
    trigger_id: "1795255200.000001.trigger",
    team: { id: "T0TEAM", domain: "acme" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: "finance-approvals" },
    message: { type: "message", ts: click.ts, text: "Approval needed", blocks: [] },
    ...(click.responseUrl !== null && { response_url: click.responseUrl ?? RESPONSE_URL }),
    actions: [
      {
        action_id: click.actionId,
        block_id: "countersign_actions",
        text: { type: "plain_text", text: "Approve" },
        value: click.pauseId,
        type: "button",
        action_ts: "1795255201.000200",
      },
    ],
  };
}

/** A `view_submission` of the reject-reason modal. */
export function reasonSubmission(options: {
  userId: string;
  privateMetadata: string;
  preset: string | null;
  explanation: string | null;
}): Record<string, unknown> {
  return {
    type: "view_submission",
    team: { id: "T0TEAM", domain: "acme" },
    user: { id: options.userId, username: options.userId.toLowerCase(), team_id: "T0TEAM" },
    api_app_id: "A0COUNTERSIGN",
    trigger_id: "1795255300.000002.trigger",
    view: {
      id: "V0MODAL",
      type: "modal",
      callback_id: "countersign_reject_reason",
      private_metadata: options.privateMetadata,
      state: {
        values: {
          reason_preset: {
            preset: {
              type: "static_select",
              selected_option:
                options.preset === null
                  ? null
                  : { value: options.preset, text: { type: "plain_text", text: options.preset } },
            },
          },
          reason_text: { text: { type: "plain_text_input", value: options.explanation } },
        },
      },
    },
  };
}

/** POSTs a payload the way Slack does: form-encoded `payload=`, signed with the signing secret. */
export function postInteraction(
  url: string,
  payload: Record<string, unknown>,
  options: { secret?: string; timestamp?: number; signature?: string } = {},
): Promise<Response> {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return postSigned(url, body, "application/x-www-form-urlencoded", options);
}

export function postSigned(
  url: string,
  body: string,
  contentType: string,
  options: { secret?: string; timestamp?: number; signature?: string } = {},
): Promise<Response> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = options.signature ?? signSlackRequest(options.secret ?? SIGNING_SECRET, timestamp, body);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signature,
    },
    body,
  });
}
