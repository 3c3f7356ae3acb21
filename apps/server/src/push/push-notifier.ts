import type { Pause, Recipient } from "@countersign/core";
import {
  type ApprovalService,
  isRoutedApprover,
  type Logger,
  type PushSubscriptionRecord,
  type Store,
} from "@countersign/core/server";
import type { EndpointPolicy } from "./push-endpoint-policy.ts";
import { pushMessage } from "./push-message.ts";
import { type PushResult, sendPush } from "./send-push.ts";
import type { VapidKeys } from "./vapid-keys.ts";

export interface PushNotifierOptions {
  store: Store;
  service: ApprovalService;
  vapid: VapidKeys;
  /** The VAPID `sub` claim: a contact for push services (read per push: the base URL may come late). */
  subject: () => string;
  policy: EndpointPolicy;
  timeoutMs: number;
  now: () => Date;
  log: Logger;
}

/** Push services answer these for a subscription that is gone for good (RFC 8030 §7.3). */
const GONE = new Set([404, 410]);

/**
 * Tells routed approvers' devices about a pause: on opening, everyone the
 * server would let decide it who is routed to it (by policy, or named as a
 * web recipient when policy names nobody); on escalation, the escalation's
 * people. Each device gets the title, risk and link; a device the push
 * service calls gone (404/410) is forgotten. Best effort, like the other
 * channels: a failed push is logged and audited, never retried.
 */
export function createPushNotifier(options: PushNotifierOptions) {
  const { store, service, log } = options;

  async function notify(pause: Pause, event: "opened" | "escalated"): Promise<void> {
    if (pause.status !== "pending") return;
    const subscriptions = await store.listPushSubscriptions();
    if (subscriptions.length === 0) return;
    const people = new Map<string, PushSubscriptionRecord[]>();
    for (const subscription of subscriptions) {
      const key = subscription.identity.trim().toLowerCase();
      people.set(key, [...(people.get(key) ?? []), subscription]);
    }
    const named = await webRecipients(pause, event);
    for (const devices of people.values()) {
      const identity = devices[0]!.identity;
      if (!(await routedTo(pause, event, identity, named))) continue;
      await notifyPerson(pause, identity, devices);
    }
  }

  /** The approvers the pause's web recipients name (the escalation's, on escalation). */
  async function webRecipients(pause: Pause, event: "opened" | "escalated"): Promise<string[]> {
    const recipients: Recipient[] =
      event === "escalated" ? (pause.routing?.escalation?.recipients ?? []) : pause.recipients;
    const identities: string[] = [];
    for (const recipient of recipients) {
      if (recipient.channel !== "web") continue;
      const approver = await service.findApprover(recipient.target);
      if (approver) identities.push(approver.identity);
    }
    return identities;
  }

  async function routedTo(
    pause: Pause,
    event: "opened" | "escalated",
    identity: string,
    named: readonly string[],
  ): Promise<boolean> {
    // The one answer every surface uses: pending, not the requester, an active approver, routed to them.
    const rights = await service.decisionRights(pause.pause_id, identity);
    if (!rights.allowed) return false;
    const { approver } = rights;
    if (named.some((name) => name.toLowerCase() === approver.identity.toLowerCase())) return true;
    if (event === "escalated") {
      return isRoutedApprover(pause.routing?.escalation?.to ?? [], approver.identity, approver.groups);
    }
    // Policy named its approvers and this person is among them (decisionRights checked it).
    return (pause.routing?.approvers ?? null) !== null;
  }

  async function notifyPerson(
    pause: Pause,
    identity: string,
    devices: readonly PushSubscriptionRecord[],
  ): Promise<void> {
    const payload = JSON.stringify(pushMessage(pause));
    const secondsLeft = Math.floor((Date.parse(pause.expires_at) - options.now().getTime()) / 1000);
    if (secondsLeft <= 0) return;
    const urgent = pause.action.risk === "high" || pause.action.risk === "critical";
    const results = await Promise.all(
      devices.map(async (subscription) => {
        const result = await sendPush({
          subscription,
          payload,
          vapid: { ...options.vapid, subject: options.subject() },
          ttlSeconds: secondsLeft,
          urgency: urgent ? "high" : "normal",
          policy: options.policy,
          timeoutMs: options.timeoutMs,
        });
        if (result.status !== null && GONE.has(result.status)) {
          await store.deletePushSubscription(subscription.endpoint);
          log.info("push subscription gone; removed", { identity, endpoint_host: hostOf(subscription) });
        } else if (result.error) {
          log.error("push failed", { pause_id: pause.pause_id, identity, error: result.error });
        }
        return result;
      }),
    );
    await service.recordEvent(
      pause.pause_id,
      "pause.notified",
      { kind: "system", id: "web_push" },
      {
        channel: "web_push",
        identity,
        devices: devices.length,
        delivered: results.filter(delivered).length,
        removed: results.filter((result) => result.status !== null && GONE.has(result.status)).length,
      },
    );
  }

  return { notify };
}

function delivered(result: PushResult): boolean {
  return result.error === null;
}

/** The push service's host, for logs (the endpoint's path identifies the device). */
function hostOf(subscription: PushSubscriptionRecord): string {
  try {
    return new URL(subscription.endpoint).host;
  } catch {
    return "invalid";
  }
}
