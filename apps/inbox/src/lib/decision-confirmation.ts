import type { Risk } from "@countersign/core";

/** High and critical risk approvals take a second, deliberate step; lower risk is one tap. */
export function approvalNeedsConfirmation(risk: Risk | undefined): boolean {
  return risk === "high" || risk === "critical";
}
