import type { Recipient } from "../../protocol/pause-request.ts";
import type { Store } from "../../store/store.ts";
import { isRoutedApprover, sameIdentity } from "../routing.ts";
import { findApprover } from "./approvers.ts";

/** A recipient the server did not notify, as the reply that opened the pause reports it. */
export interface RecipientWarning {
  code: "recipient_dropped";
  /** `recipients.<index>` in the request. */
  path: string;
  message: string;
}

export interface RecipientScreening {
  kept: Recipient[];
  warnings: RecipientWarning[];
}

/**
 * Agent-supplied recipients may only narrow routing, never widen it: an
 * e-mail or web recipient must be a known, active approver (and one the
 * policy routed the pause to, when it names approvers); a Slack or Teams
 * target must be one an admin allowed (config, the policy file) or, for
 * Slack, a member id mapped to such an approver. Anything else is dropped
 * with a warning, so an agent can never mail a decision link to an address
 * it controls. Recipients written by an admin (the policy's) are not screened.
 */
export async function screenRecipients(
  store: Store,
  recipients: readonly Recipient[],
  options: {
    /** The approvers policy routed the pause to (`null`: any approver). */
    approvers: readonly string[] | null;
    /** Channel targets an admin allowed, per channel (Slack channels, Teams conversations). */
    allowedTargets: Readonly<Partial<Record<Recipient["channel"], readonly string[]>>>;
  },
): Promise<RecipientScreening> {
  const kept: Recipient[] = [];
  const warnings: RecipientWarning[] = [];
  for (const [index, recipient] of recipients.entries()) {
    const refusal = await refusalOf(store, recipient, options);
    if (refusal === null) kept.push(recipient);
    else warnings.push({ code: "recipient_dropped", path: `recipients.${index}`, message: refusal });
  }
  return { kept, warnings };
}

async function refusalOf(
  store: Store,
  recipient: Recipient,
  options: Parameters<typeof screenRecipients>[2],
): Promise<string | null> {
  const allowed = options.allowedTargets[recipient.channel] ?? [];
  if (allowed.some((target) => sameIdentity(target, recipient.target))) return null;
  const person = await personBehind(store, recipient);
  if (person === undefined) {
    return `${recipient.channel} target ${recipient.target} is not one an admin allowed; it was not notified`;
  }
  if (person === null) {
    return `${recipient.target} is not a known approver; ${recipient.channel} recipients must be approvers, so it was not notified`;
  }
  if (options.approvers && !isRoutedApprover(options.approvers, person.identity, person.groups)) {
    return `${recipient.target} is not among the approvers policy routed this pause to; it was not notified`;
  }
  return null;
}

/** The approver a recipient names; `null` when it names a person we don't know; `undefined` when it names no person. */
async function personBehind(store: Store, recipient: Recipient) {
  if (recipient.channel === "email" || recipient.channel === "web")
    return findApprover(store, recipient.target);
  if (recipient.channel === "slack" && /^[UW][A-Z0-9]{2,}$/.test(recipient.target)) {
    const identity = await store.findIdentityBySlackUser(recipient.target);
    return identity ? findApprover(store, identity.identity) : null;
  }
  return undefined;
}
