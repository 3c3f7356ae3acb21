import { readFile } from "node:fs/promises";
import {
  isCountersignError,
  type ParsedPauseRequest,
  PauseRequestSchema,
  parseOrThrow,
} from "@countersign/core";
import { evaluatePolicy, type PolicyEvaluation } from "@countersign/core/server";
import { type CliCommand, type OptionTable, pick } from "../cli/cli-command.ts";
import { parseOptions } from "../parse-options.ts";
import { formatPolicyFileIssues, loadPolicyFile } from "../policy-file.ts";
import { UsageError } from "../usage-error.ts";

/**
 * `policy check FILE`: validates a policy. `policy test FILE REQUEST.json`:
 * prints which rule fires for a pause request and why. Exit 0 on success,
 * 1 when `--expect RULE` names another rule, 2 for an invalid policy or request.
 */
const POLICY_OPTIONS = {
  json: { type: "boolean", description: "print JSON" },
  expect: { type: "string", value: "RULE", description: "exit 1 unless this rule fires" },
} as const satisfies OptionTable;

const POLICY_FILE = { name: "POLICY.yaml", description: "the policy (YAML or JSON)", required: true };

/** `countersign policy check|test`. */
export const policyCommand: CliCommand = {
  name: "policy",
  summary: "Check a policy file, or test which rule fires for a request",
  subcommands: [
    {
      name: "check",
      summary: "Validate a policy (errors name the line and field)",
      arguments: [POLICY_FILE],
      options: pick(POLICY_OPTIONS, "json"),
      run: runPolicy,
    },
    {
      name: "test",
      summary: "Which rule fires for a pause request, and why",
      arguments: [
        POLICY_FILE,
        { name: "REQUEST.json", description: "a POST /v1/pauses body", required: true },
      ],
      options: POLICY_OPTIONS,
      run: runPolicy,
    },
  ],
};

export async function runPolicy(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, POLICY_OPTIONS);
  const [action, file, requestFile] = positionals;
  if (action !== "check" && action !== "test") throw new UsageError("policy needs one of: check, test");
  if (!file) throw new UsageError(`policy ${action} needs a policy file`);
  const loaded = await loadPolicyFile(file);
  if (!loaded.ok) {
    process.stderr.write(`${formatPolicyFileIssues(file, loaded.issues)}\n`);
    return 2;
  }
  const { policy } = loaded;
  if (action === "check") {
    const rules = policy.document.rules.map((rule) => rule.name);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ valid: true, version: policy.version, rules })}\n`
        : `${file}: valid, version ${policy.version}, ${rules.length} rule(s): ${rules.join(", ") || "(none)"}\n`,
    );
    return 0;
  }
  if (!requestFile) throw new UsageError("policy test needs a request file (a POST /v1/pauses body)");
  const request = await readRequest(requestFile);
  const evaluation = evaluatePolicy(policy, request);
  process.stdout.write(values.json ? `${JSON.stringify(evaluation)}\n` : explain(file, evaluation));
  if (values.expect !== undefined && values.expect !== evaluation.rule) {
    process.stderr.write(`expected rule ${values.expect} to fire, but ${evaluation.rule} did\n`);
    return 1;
  }
  return 0;
}

async function readRequest(file: string): Promise<ParsedPauseRequest> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`cannot read JSON from ${file}: ${error instanceof Error ? error.message : error}`);
  }
  try {
    return parseOrThrow(PauseRequestSchema, value, "pause request");
  } catch (error) {
    if (isCountersignError(error)) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

/** The trace as a person reads it: each rule tried, why it did or did not match, and what the one that fired does. */
export function explain(file: string, evaluation: PolicyEvaluation): string {
  const lines = [`${file} (version ${evaluation.policyVersion})`];
  const width = Math.max(...evaluation.trace.map((entry) => entry.rule.length));
  for (const entry of evaluation.trace) {
    const shown = entry.matched ? entry.checks : entry.checks.filter((check) => !check.passed);
    const reasons =
      entry.checks.length === 0
        ? entry.rule === "default"
          ? "no rule matched"
          : "matches everything"
        : shown
            .map((check) => {
              const actual = check.actual === undefined ? "missing" : JSON.stringify(check.actual);
              if (check.field !== undefined)
                return `${check.check} is ${check.passed} (${check.field} = ${actual})`;
              return `${check.check} ${actual} ${check.passed ? "matches" : "does not match"} ${check.expected}`;
            })
            .join("; ");
    lines.push(`  ${entry.matched ? "✓" : "✗"} ${entry.rule.padEnd(width)}  ${reasons}`);
  }
  lines.push("", `Fires: ${evaluation.rule} → ${evaluation.outcome}`);
  if (evaluation.reason) lines.push(`  reason: ${evaluation.reason}`);
  if (evaluation.sample) {
    lines.push(
      `  samples ${evaluation.sample.rate * 100}% for people (seed ${evaluation.sample.seed}); approves the rest`,
    );
  }
  if (evaluation.outcome === "require" || evaluation.outcome === "sample") {
    const approvals = `${evaluation.approvalsRequired} distinct approval${evaluation.approvalsRequired === 1 ? "" : "s"}`;
    lines.push(`  approvers: ${evaluation.approvers?.join(", ") ?? "any approver"} (${approvals})`);
    const recipients = evaluation.recipients.map((recipient) => `${recipient.channel} ${recipient.target}`);
    lines.push(`  recipients: ${recipients.join(", ") || "(none)"}`);
    if (evaluation.escalation) {
      const told = evaluation.escalation.recipients.map(
        (recipient) => `${recipient.channel} ${recipient.target}`,
      );
      lines.push(
        `  escalates after ${duration(evaluation.escalation.afterSeconds)} to ${evaluation.escalation.to.join(", ")}${told.length > 0 ? ` (tells ${told.join(", ")})` : ""}`,
      );
    }
    if (evaluation.expiresInSeconds !== null)
      lines.push(`  expires in ${duration(evaluation.expiresInSeconds)}`);
  }
  return `${lines.join("\n")}\n`;
}

function duration(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
