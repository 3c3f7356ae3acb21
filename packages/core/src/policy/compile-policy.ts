import { createHash } from "node:crypto";
import { canonicalJson } from "../proof/canonical-json.ts";
import { type PolicyDocument, PolicySchema } from "./policy-schema.ts";

/** A validated policy and its version. */
export interface CompiledPolicy {
  document: PolicyDocument;
  /**
   * First 16 hex digits of the SHA-256 of the policy's canonical JSON: the
   * same rules give the same version, whatever the file's format, comments
   * or white space.
   */
  version: string;
}

/** One problem in a policy, at a path such as `["rules", 2, "when", 0]`. */
export interface PolicyIssue {
  path: (string | number)[];
  message: string;
}

export type CompileResult = { ok: true; policy: CompiledPolicy } | { ok: false; issues: PolicyIssue[] };

/** Validates a parsed policy (from YAML or JSON). Pure: no I/O. */
export function compilePolicy(input: unknown): CompileResult {
  const result = PolicySchema.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.map((issue) => {
        const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
        // An unknown key is reported on its object; point at the key itself.
        if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) {
          return { path: [...path, issue.keys[0]], message: `unknown field "${issue.keys.join('", "')}"` };
        }
        return { path, message: issue.message };
      }),
    };
  }
  return { ok: true, policy: { document: result.data, version: policyVersion(input) } };
}

export function policyVersion(input: unknown): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex").slice(0, 16);
}

/** `rules.2.when.0: message` lines, for logs and the CLI. */
export function formatPolicyIssues(issues: readonly PolicyIssue[]): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(policy)"}: ${issue.message}`)
    .join("\n");
}
