import type { Pause, Risk } from "@countersign/core";

const RISKS: readonly string[] = ["low", "medium", "high", "critical"];

/**
 * The risk the card acts on: the policy's effective rating when a policy routed
 * the pause (`routing.risk`, the higher of the agent's and the policy's own),
 * else what the agent declared. An agent that declares `low` on an action the
 * policy rates `critical` does not get the one-tap approval.
 */
export function effectiveRisk(pause: Pause, routing: Record<string, unknown> | null): Risk | undefined {
  const rated = routing?.risk;
  if (typeof rated === "string" && RISKS.includes(rated)) return rated as Risk;
  return pause.action.risk;
}

/** High and critical risk approvals take a second, deliberate step; lower risk is one tap. */
export function approvalNeedsConfirmation(risk: Risk | undefined): boolean {
  return risk === "high" || risk === "critical";
}
