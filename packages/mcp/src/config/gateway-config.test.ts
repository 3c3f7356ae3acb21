import { describe, expect, it } from "vitest";
import { parseGatewayConfig } from "./load-gateway-config.ts";
import { splitCommand, upstreamSpecs } from "./upstream-specs.ts";

function problems(text: string): string {
  try {
    parseGatewayConfig(text, "gateway.yaml");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

describe("gateway config", () => {
  it("defaults to requiring a human for any tool no rule names", () => {
    const config = parseGatewayConfig("rules: []\n");
    expect(config.default).toBe("require");
    expect(config.wait).toBe(50);
    expect(config.agent_id).toBe("mcp-gateway");
    expect(config.recording.ungated).toBe(false);
  });

  it("reads durations, one-or-many globs and conditions", () => {
    const config = parseGatewayConfig(
      [
        "wait: 30s",
        "expires_in: 4h",
        "rules:",
        "  - name: big-writes",
        "    tool: write_file",
        '    when: "content exists"',
        "    decision: require",
        "    risk: high",
      ].join("\n"),
    );
    expect(config.wait).toBe(30);
    expect(config.expires_in).toBe(14_400);
    expect(config.rules[0]).toMatchObject({ tool: ["write_file"], decision: "require", risk: "high" });
    expect(config.rules[0]!.when?.[0]).toMatchObject({ field: ["content"], operator: "exists" });
  });

  it("names the line and field of every mistake", () => {
    const message = problems(
      [
        "default: allowed",
        "rules:",
        "  - tool: write_file",
        '    when: "size = 3"',
        "    decision: allow",
        "masking:",
        "  - name: bad",
        "    regex: [{ name: x, pattern: '(' }]",
        "    paths: [password]",
      ].join("\n"),
    );
    expect(message).toContain('gateway.yaml:1:10 default: must be "allow", "deny" or "require"');
    expect(message).toContain(
      'rules.0.when.0: expected an operator (==, !=, >, >=, <, <=, in, not in, matches, exists) after "size" (use "==" to compare)',
    );
    expect(message).toContain("masking.0.regex.0.pattern: not a regular expression");
    expect(message).toContain('masking.0.paths.0: a JSON path starts with "$"');
  });

  it("refuses fields that only make sense for another decision", () => {
    expect(problems("rules:\n  - tool: x\n    decision: allow\n    risk: high\n")).toContain(
      'gateway.yaml:4:11 rules.0.risk: only applies to decision "require"',
    );
  });

  it("refuses unknown fields and YAML syntax errors with a position", () => {
    expect(problems("rules: []\nrulez: []\n")).toContain('Unrecognized key: "rulez"');
    expect(problems("rules: [\n")).toMatch(/gateway\.yaml:\d+:\d+/);
    expect(problems("wait: 11m\n")).toContain("wait: must be at most 10 minutes");
  });
});

describe("upstreams", () => {
  it("splits a command line like a shell would for plain words", () => {
    expect(
      splitCommand(`npx -y @modelcontextprotocol/server-filesystem "/srv/My Files" 'a b' c\\ d`),
    ).toEqual(["npx", "-y", "@modelcontextprotocol/server-filesystem", "/srv/My Files", "a b", "c d"]);
    expect(() => splitCommand(`node "unclosed`)).toThrow(/Unclosed/);
  });

  it("mounts one upstream without a prefix and several under their names", () => {
    const config = parseGatewayConfig("{}");
    const env = {};
    expect(upstreamSpecs(config, { commands: ["npx server"] }, { env, baseDir: "/" })).toEqual([
      { name: "upstream", prefix: "", transport: { command: "npx", args: ["server"] } },
    ]);
    const several = upstreamSpecs(
      config,
      { commands: ["fs=npx fs-server /srv"], urls: ["docs=https://docs.example.com/mcp"] },
      { env, baseDir: "/" },
    );
    expect(several.map((spec) => [spec.name, spec.prefix])).toEqual([
      ["fs", "fs"],
      ["docs", "docs"],
    ]);
    expect(() => upstreamSpecs(config, {}, { env, baseDir: "/" })).toThrow(/Name an upstream/);
  });

  it("fills environment variables in upstream env and headers from the gateway's environment, and refuses missing ones", () => {
    const config = parseGatewayConfig(
      [
        "upstreams:",
        "  github:",
        "    url: https://api.example.com/mcp",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
        "    headers: { authorization: 'Bearer ${GITHUB_TOKEN}' }",
      ].join("\n"),
    );
    const [spec] = upstreamSpecs(config, {}, { env: { GITHUB_TOKEN: "t0k" }, baseDir: "/" });
    expect(spec!.transport).toEqual({
      url: "https://api.example.com/mcp",
      headers: { authorization: "Bearer t0k" },
    });
    expect(() => upstreamSpecs(config, {}, { env: {}, baseDir: "/" })).toThrow(
      "upstreams.github.headers.authorization: environment variable GITHUB_TOKEN is not set",
    );
  });
});
