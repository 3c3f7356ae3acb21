/** One tap fills the reason; the approver can still edit it. */
export const PRESET_REJECT_REASONS = [
  "Amount or recipient looks wrong",
  "Needs more context first",
  "Not allowed for this agent",
  "Duplicate request",
] as const;
