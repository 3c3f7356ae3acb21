import { describe, expect, it } from "vitest";
import { formatPolicyFileIssues, parsePolicyText } from "./policy-file.ts";

function issuesOf(text: string) {
  const result = parsePolicyText(text);
  if (result.ok) throw new Error("expected the policy to be refused");
  return result.issues;
}

describe("policy files", () => {
  it("points each YAML mistake at its line and field", () => {
    const text = [
      "rules:", //                                   1
      "  - name: refunds", //                        2
      "    action_type: refund", //                  3
      "    when:", //                                4
      "      - amount => 500", //                    5
      "    outcome: require", //                     6
      "    approvers: [group:finance]", //           7
      "  - name: drops", //                          8
      "    outcome: deny", //                        9
      "    escalate: { after: 15m, to: [x] }", //   10
      "    colour: red", //                         11
    ].join("\n");
    const issues = issuesOf(text);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 5,
          path: "rules.0.when.0",
          message: expect.stringContaining("operator"),
        }),
        expect.objectContaining({
          line: 10,
          path: "rules.1.escalate",
          message: 'only applies to outcome "require"',
        }),
        expect.objectContaining({ line: 11, path: "rules.1.colour", message: 'unknown field "colour"' }),
      ]),
    );
    expect(formatPolicyFileIssues("/etc/countersign/policy.yaml", issues)).toContain(
      "policy.yaml:11:13 rules.1.colour: unknown field",
    );
  });

  it("points a single-value field and a missing field at the nearest line that exists", () => {
    const issues = issuesOf(
      ["rules:", "  - name: r", "    when: amount >", "    approvals_required: 2"].join("\n"),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, path: "rules.0.when.0" }),
        expect.objectContaining({ line: 2, path: "rules.0.outcome" }),
      ]),
    );
  });

  it("reads JSON policies with line numbers too", () => {
    const text = JSON.stringify({ rules: [{ name: "r", outcome: "require", expires_in: "soon" }] }, null, 2);
    expect(issuesOf(text)).toEqual([expect.objectContaining({ line: 6, path: "rules.0.expires_in" })]);
    const valid = parsePolicyText(JSON.stringify({ rules: [{ name: "r", outcome: "deny" }] }));
    expect(valid.ok).toBe(true);
  });

  it("reports YAML syntax errors and duplicated keys by line", () => {
    expect(issuesOf("rules:\n  - name: a\n    outcome: deny\n    outcome: require\n")[0]).toMatchObject({
      line: 4,
    });
    expect(issuesOf("rules: [\n")[0]!.line).not.toBeNull();
  });

  it("gives the same version to the same policy written in YAML or JSON", () => {
    const yaml = parsePolicyText("# comment\nrules:\n  - { name: r, action_type: x, outcome: deny }\n");
    const json = parsePolicyText('{"rules":[{"outcome":"deny","name":"r","action_type":"x"}]}');
    if (!yaml.ok || !json.ok) throw new Error("expected valid policies");
    expect(yaml.policy.version).toBe(json.policy.version);
  });
});
