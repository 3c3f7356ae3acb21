import { evaluateCondition, globToRegExp } from "@countersign/core/server";
import type { GatewayConfig, GatewayDecision } from "../config/gateway-config-schema.ts";

export interface ToolCall {
  /** The tool name as the client sees it (with the mount's prefix). */
  tool: string;
  /** The upstream's mount name. */
  server: string;
  arguments: Record<string, unknown>;
}

export interface ToolVerdict {
  decision: GatewayDecision;
  /** The rule that fired; `default` when none did. */
  rule: string;
  reason?: string;
  risk?: "low" | "medium" | "high" | "critical";
  expiresIn?: number;
}

export type ToolPolicy = (call: ToolCall) => ToolVerdict;

/**
 * First matching rule wins, then the config's `default`. A rule matches when
 * every part it names matches: tool glob, server glob, and all its `when`
 * conditions on the arguments (a condition on a missing argument never holds).
 */
export function compileToolPolicy(
  config: Pick<GatewayConfig, "rules" | "default" | "expires_in">,
): ToolPolicy {
  // Globs compile once: the policy runs on every call, in the data path.
  const rules = config.rules.map((rule, index) => ({
    ...rule,
    name: rule.name ?? `rules.${index}`,
    toolPatterns: rule.tool?.map(globToRegExp),
    serverPatterns: rule.server?.map(globToRegExp),
  }));
  return (call) => {
    for (const rule of rules) {
      if (rule.toolPatterns && !rule.toolPatterns.some((pattern) => pattern.test(call.tool))) continue;
      if (rule.serverPatterns && !rule.serverPatterns.some((pattern) => pattern.test(call.server))) continue;
      if (rule.when && !rule.when.every((condition) => evaluateCondition(condition, call.arguments).holds))
        continue;
      return {
        decision: rule.decision,
        rule: rule.name,
        ...(rule.reason !== undefined && { reason: rule.reason }),
        ...(rule.risk !== undefined && { risk: rule.risk }),
        ...((rule.expires_in ?? config.expires_in) !== undefined && {
          expiresIn: rule.expires_in ?? config.expires_in,
        }),
      };
    }
    return {
      decision: config.default,
      rule: "default",
      ...(config.expires_in !== undefined && { expiresIn: config.expires_in }),
    };
  };
}
