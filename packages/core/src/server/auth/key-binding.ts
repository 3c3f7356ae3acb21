import { CountersignError } from "../../errors/countersign-error.ts";
import { matchesGlob } from "../../policy/glob.ts";
import type { ApiKeyBinding, ApiKeyRecord, ApiKeyRole } from "../../store/records.ts";

const MAX_PATTERNS = 100;
const PATTERN = /^[^\s]{1,200}$/;

/**
 * Checks what a key is bound to before it is stored: every key names the
 * person who holds it; an agent key names the agent ids it may act as (and
 * optionally the action types); other roles carry no agent bindings.
 */
export function checkKeyBinding(role: ApiKeyRole, binding: ApiKeyBinding): ApiKeyBinding {
  if (role !== "agent") {
    if (binding.agentIds !== null || binding.actionTypes !== null) {
      throw invalid("agent_ids", `only agent keys are bound to agent ids and action types, not ${role} keys`);
    }
    return binding;
  }
  if (binding.agentIds === null || binding.agentIds.length === 0) {
    throw invalid(
      "agent_ids",
      "an agent key must name the agent ids it may act as (e.g. --agent-id billing-agent, or a glob such as 'billing-*')",
    );
  }
  return {
    identity: binding.identity,
    agentIds: checkPatterns("agent_ids", binding.agentIds),
    actionTypes: binding.actionTypes === null ? null : checkPatterns("action_types", binding.actionTypes),
  };
}

function checkPatterns(field: string, patterns: readonly string[]): string[] {
  if (patterns.length > MAX_PATTERNS) throw invalid(field, `at most ${MAX_PATTERNS} patterns`);
  const checked = patterns.map((pattern) => pattern.trim());
  checked.forEach((pattern, index) => {
    if (!PATTERN.test(pattern)) throw invalid(`${field}.${index}`, "1 to 200 characters without spaces");
  });
  return [...new Set(checked)];
}

function invalid(path: string, message: string): CountersignError {
  return new CountersignError("invalid_request", `${path}: ${message}`, { errors: [{ path, message }] });
}

/**
 * The trust boundary for what an agent declares: a pause may only be opened
 * as an agent id (and action type) the authenticated key is bound to. The
 * policy then sees an agent id the key was issued for, never one it chose.
 */
export function authorizeAgentRequest(key: ApiKeyRecord, agentId: string, actionType: string): void {
  if (key.agentIds === null) {
    throw new CountersignError(
      "forbidden",
      `API key ${key.keyId} is not bound to any agent id, so it may not open pauses. An admin binds it with: countersign keys update ${key.keyId} --agent-id <id> --identity <owner>`,
      { errors: [{ path: "agent_id", message: "the key is not bound to agent ids" }] },
    );
  }
  if (!key.agentIds.some((pattern) => matchesGlob(pattern, agentId))) {
    throw new CountersignError(
      "forbidden",
      `agent_id: this API key may act as ${key.agentIds.join(", ")}, not ${agentId}`,
      { errors: [{ path: "agent_id", message: `not one of ${key.agentIds.join(", ")}` }] },
    );
  }
  if (key.actionTypes !== null && !key.actionTypes.some((pattern) => matchesGlob(pattern, actionType))) {
    throw new CountersignError(
      "forbidden",
      `action.type: this API key may request ${key.actionTypes.join(", ")}, not ${actionType}`,
      { errors: [{ path: "action.type", message: `not one of ${key.actionTypes.join(", ")}` }] },
    );
  }
}
