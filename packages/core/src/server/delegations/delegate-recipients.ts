import type { Recipient } from "../../protocol/pause-request.ts";
import type { PauseRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { findApprover, type KnownApprover } from "../governance/approvers.ts";
import { isRoutedApprover, sameIdentity } from "../routing.ts";
import { delegationCovers } from "./delegation-coverage.ts";

/** A delegate the server added to a pause's recipients, as the audit log records it. */
export interface AddedDelegate {
  delegation_id: string;
  from: string;
  to: string;
}

/**
 * Reaches the delegates of the approvers a pause goes to. For every
 * delegation in force whose delegator the pause reaches (a person recipient
 * naming them, or the policy's approvers), the delegate is told on the same
 * channels: their e-mail, their inbox, their Slack account when mapped. A
 * delegator reached only through routing (a group, a Slack channel) has their
 * delegate told in the inbox and on each person channel the pause uses.
 * Never the requester; never past one hop.
 */
export async function addDelegateRecipients(
  store: Store,
  pause: Pick<PauseRecord, "requestedBy" | "action">,
  recipients: readonly Recipient[],
  approvers: readonly string[] | null,
  now: Date,
): Promise<{ recipients: Recipient[]; delegates: AddedDelegate[] }> {
  const inForce = await store.listDelegations({ activeAt: now.toISOString() });
  const result = [...recipients];
  const delegates: AddedDelegate[] = [];
  for (const delegation of [...inForce].reverse()) {
    if (!delegationCovers(delegation, pause, now)) continue;
    if (pause.requestedBy !== null && sameIdentity(pause.requestedBy, delegation.to)) continue;
    const [from, to] = [await findApprover(store, delegation.from), await findApprover(store, delegation.to)];
    if (!from || !to) continue;
    const routed = approvers === null || isRoutedApprover(approvers, from.identity, from.groups);
    if (!routed) continue;
    const personal = await channelsNaming(store, recipients, from);
    const reachedByRouting = approvers !== null && personal.size === 0;
    if (personal.size === 0 && !reachedByRouting) continue;
    const channels = reachedByRouting
      ? new Set<Recipient["channel"]>([...recipients.map((entry) => entry.channel), "web"])
      : personal;
    for (const recipient of await recipientsFor(store, to, channels)) {
      if (
        !result.some(
          (entry) => entry.channel === recipient.channel && sameIdentity(entry.target, recipient.target),
        )
      ) {
        result.push(recipient);
      }
    }
    delegates.push({ delegation_id: delegation.delegationId, from: from.identity, to: to.identity });
  }
  return { recipients: result, delegates };
}

/** The channels on which a recipient names this person (e-mail, inbox, a mapped Slack member id). */
async function channelsNaming(
  store: Store,
  recipients: readonly Recipient[],
  person: KnownApprover,
): Promise<Set<Recipient["channel"]>> {
  const channels = new Set<Recipient["channel"]>();
  for (const recipient of recipients) {
    if (recipient.channel === "email" || recipient.channel === "web") {
      if (sameIdentity(recipient.target, person.identity) || sameIdentity(recipient.target, person.email)) {
        channels.add(recipient.channel);
      }
    } else if (recipient.channel === "slack" && /^[UW][A-Z0-9]{2,}$/.test(recipient.target)) {
      const mapped = await store.findIdentityBySlackUser(recipient.target);
      if (mapped && sameIdentity(mapped.identity, person.identity)) channels.add("slack");
    }
  }
  return channels;
}

async function recipientsFor(
  store: Store,
  person: KnownApprover,
  channels: ReadonlySet<Recipient["channel"]>,
): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  if (channels.has("email")) recipients.push({ channel: "email", target: person.email });
  if (channels.has("web")) recipients.push({ channel: "web", target: person.identity });
  if (channels.has("slack")) {
    const slackUserId = (await store.getIdentity(person.identity))?.slackUserId;
    if (slackUserId) recipients.push({ channel: "slack", target: slackUserId });
  }
  return recipients;
}
