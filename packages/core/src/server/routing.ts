import type { Approval, Routing } from "../protocol/pause.ts";
import type { Recipient } from "../protocol/pause-request.ts";
import { RecipientSchema } from "../protocol/pause-request.ts";
import type { JsonObject } from "../store/records.ts";

const OUTCOMES = new Set(["auto_approve", "deny", "require"]);

/**
 * The routing recorded on a pause, in its wire shape. A policy hook may
 * record anything; missing fields get their neutral value, and an
 * `approvers` entry that is not a list of names lets nobody in but an admin
 * override (fail closed), never everybody.
 */
export function readRouting(raw: JsonObject | null): Routing | null {
  if (raw === null) return null;
  return {
    ...raw,
    rule: typeof raw.rule === "string" ? raw.rule : "unknown",
    policy_version: typeof raw.policy_version === "string" ? raw.policy_version : "unknown",
    outcome: (OUTCOMES.has(raw.outcome as string) ? raw.outcome : "require") as Routing["outcome"],
    approvers: readApprovers(raw.approvers),
    approvals_required:
      Number.isInteger(raw.approvals_required) && (raw.approvals_required as number) >= 1
        ? (raw.approvals_required as number)
        : 1,
    approvals: Array.isArray(raw.approvals) ? raw.approvals.filter(isApproval) : [],
    escalation: readEscalation(raw.escalation),
    escalated_at: typeof raw.escalated_at === "string" ? raw.escalated_at : null,
  };
}

function readApprovers(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((entry): entry is string => typeof entry === "string");
}

function isApproval(value: unknown): value is Approval {
  const entry = value as Approval | null;
  return (
    typeof entry === "object" &&
    entry !== null &&
    typeof entry.id === "string" &&
    typeof entry.channel === "string" &&
    typeof entry.at === "string"
  );
}

function readEscalation(value: unknown): Routing["escalation"] {
  const entry = value as { after_seconds?: unknown; to?: unknown; recipients?: unknown } | null;
  if (typeof entry !== "object" || entry === null) return null;
  if (!Number.isInteger(entry.after_seconds) || (entry.after_seconds as number) < 1) return null;
  const to = readApprovers(entry.to) ?? [];
  const recipients = Array.isArray(entry.recipients)
    ? entry.recipients.filter(
        (recipient): recipient is Recipient => RecipientSchema.safeParse(recipient).success,
      )
    : [];
  return { after_seconds: entry.after_seconds as number, to, recipients };
}

/** Whether `identity` (with its groups) is among `approvers` (names and `group:<name>`). */
export function isRoutedApprover(
  approvers: readonly string[],
  identity: string,
  groups: readonly string[],
): boolean {
  return approvers.some((reference) =>
    reference.startsWith("group:")
      ? groups.includes(reference.slice("group:".length))
      : sameIdentity(reference, identity),
  );
}

/** Identities are e-mail addresses in practice: `Alice@Acme.com` and `alice@acme.com` are one person. */
export function sameIdentity(left: string, right: string): boolean {
  return left.trim().toLowerCase() === right.trim().toLowerCase();
}
