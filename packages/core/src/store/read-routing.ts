import { type Approval, ApprovalSchema, type Routing } from "../protocol/pause.ts";
import { type Recipient, RecipientSchema } from "../protocol/pause-request.ts";

const OUTCOMES = new Set(["auto_approve", "deny", "require"]);

/**
 * Reads the routing recorded on a pause into its typed wire shape. Both
 * stores parse each row's `routing` with it, once, so every consumer gets a
 * `Routing` (and the open path parses a policy's raw routing with it before
 * the row is written). Rows written by older versions, or by a policy hook
 * that recorded anything, are read leniently: missing fields get their
 * neutral value, and an `approvers` entry that is not a list of names lets
 * nobody in but an admin override (fail closed), never everybody. What comes
 * out always satisfies `RoutingSchema`.
 */
export function readRouting(raw: unknown): Routing | null {
  if (raw === null || raw === undefined) return null;
  // Not an object at all: nobody is routed (an admin may still override).
  const fields: Record<string, unknown> =
    typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : { approvers: [] };
  return {
    ...fields,
    rule: typeof fields.rule === "string" ? fields.rule : "unknown",
    policy_version: typeof fields.policy_version === "string" ? fields.policy_version : "unknown",
    outcome: (OUTCOMES.has(fields.outcome as string) ? fields.outcome : "require") as Routing["outcome"],
    approvers: readApprovers(fields.approvers),
    approvals_required:
      Number.isInteger(fields.approvals_required) && (fields.approvals_required as number) >= 1
        ? (fields.approvals_required as number)
        : 1,
    // An approval that cannot be read is not counted: a quorum then needs another, never fewer.
    approvals: Array.isArray(fields.approvals)
      ? fields.approvals.flatMap((entry) => readApproval(entry) ?? [])
      : [],
    escalation: readEscalation(fields.escalation),
    escalated_at: readTimestamp(fields.escalated_at),
  };
}

function readApprovers(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((entry): entry is string => typeof entry === "string");
}

function readApproval(value: unknown): Approval | null {
  if (typeof value !== "object" || value === null) return null;
  const entry = value as Record<string, unknown>;
  const at = readTimestamp(entry.at);
  if (at === null) return null;
  const parsed = ApprovalSchema.safeParse({ ...entry, at });
  return parsed.success ? parsed.data : null;
}

/** An ISO 8601 timestamp in the canonical form the server writes, or null when there is none to read. */
function readTimestamp(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function readEscalation(value: unknown): Routing["escalation"] {
  const entry = value as { after_seconds?: unknown; to?: unknown; recipients?: unknown } | null;
  if (typeof entry !== "object" || entry === null) return null;
  if (!Number.isInteger(entry.after_seconds) || (entry.after_seconds as number) < 1) return null;
  const to = readApprovers(entry.to) ?? [];
  const recipients = Array.isArray(entry.recipients)
    ? entry.recipients.flatMap((recipient): Recipient[] => {
        const parsed = RecipientSchema.safeParse(recipient);
        return parsed.success ? [parsed.data] : [];
      })
    : [];
  return { after_seconds: entry.after_seconds as number, to, recipients };
}
