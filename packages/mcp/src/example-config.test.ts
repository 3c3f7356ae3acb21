import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadGatewayConfig } from "./config/load-gateway-config.ts";
import { upstreamSpecs } from "./config/upstream-specs.ts";
import { createMasker } from "./masking/create-masker.ts";
import { compileToolPolicy } from "./policy/tool-policy.ts";

const EXAMPLE = new URL("../../../examples/mcp/", import.meta.url);

describe("examples/mcp", () => {
  it("gateway.yaml is valid and gates the filesystem server the way its comments say", async () => {
    const { config, baseDir } = await loadGatewayConfig(fileURLToPath(new URL("gateway.yaml", EXAMPLE)));
    expect(config.default).toBe("require");
    const policy = compileToolPolicy(config);
    const decide = (tool: string, args: Record<string, unknown>) =>
      policy({ tool, server: "files", arguments: args });
    expect(decide("read_text_file", { path: "/srv/shared/a.txt" }).decision).toBe("allow");
    expect(decide("write_file", { path: "/srv/shared/a.txt", content: "x" })).toMatchObject({
      decision: "require",
      rule: "writes",
      risk: "high",
      expiresIn: 14_400,
    });
    expect(decide("write_file", { path: "/srv/shared/.git/config", content: "x" }).decision).toBe("deny");
    expect(
      decide("move_file", { source: "/srv/shared/a", destination: "/srv/shared/.git/hooks/x" }).decision,
    ).toBe("deny");
    expect(decide("some_new_tool", {}).rule).toBe("default");
    const [files] = upstreamSpecs(config, {}, { env: {}, baseDir });
    expect(files).toMatchObject({ name: "files", prefix: "", transport: { command: "npx" } });
    const masked = createMasker(config.masking).mask(
      { tool: "read_text_file", server: "files" },
      { content: [{ type: "text", text: '{"db": {"password": "pw"}, "owner": "ops@acme.io"}' }] },
    );
    expect(masked.value.content[0]!.text).not.toContain("pw");
    expect(masked.value.content[0]!.text).not.toContain("ops@acme.io");
  });

  it("the client configs start the gateway through the countersign CLI or reach it over HTTP with a Bearer key", async () => {
    const desktop = JSON.parse(await readFile(new URL("claude_desktop_config.json", EXAMPLE), "utf8"));
    expect(desktop.mcpServers.files.args.slice(0, 4)).toEqual(["-y", "countersign", "mcp", "gateway"]);
    expect(desktop.mcpServers.approvals.args).toContain("approvals");
    for (const name of ["claude-code.mcp.json", "cursor.mcp.json"]) {
      const config = JSON.parse(await readFile(new URL(name, EXAMPLE), "utf8"));
      expect(config.mcpServers.files.headers.Authorization).toMatch(/^Bearer /);
      expect(config.mcpServers.files.url).toMatch(/\/mcp$/);
    }
  });
});
