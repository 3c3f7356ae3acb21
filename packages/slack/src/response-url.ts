/**
 * Replies only the clicker sees, through the interaction's `response_url`.
 * Unlike `chat.postEphemeral` it needs no bot membership in the channel
 * (cards posted with `chat:write.public` go to channels the bot never
 * joined) and works in DMs; Slack accepts up to five replies within
 * thirty minutes of the click.
 */

/** Hosts Slack sends `response_url`s on; a URL elsewhere is never posted to. */
const SLACK_HOOK_HOSTS = [/^hooks\.slack\.com$/, /\.slack\.com$/, /\.slack-gov\.com$/];

export function isSlackResponseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && SLACK_HOOK_HOSTS.some((host) => host.test(url.hostname));
  } catch {
    return false;
  }
}

/** Posts an ephemeral reply (`replace_original: false`: the card stays). Throws when Slack refuses it. */
export async function replyThroughResponseUrl(responseUrl: string, text: string): Promise<void> {
  if (!isSlackResponseUrl(responseUrl)) throw new Error("response_url is not a Slack URL");
  const response = await fetch(responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}
