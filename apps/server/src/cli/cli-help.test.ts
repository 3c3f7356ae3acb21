import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../test-support/cli-process.ts";
import type { CliCommand } from "./cli-command.ts";
import { COMMANDS, ENVIRONMENT_HELP } from "./commands.ts";
import { runProgram } from "./run-program.ts";

/** Every command and subcommand, as the words a person types. */
function paths(
  commands: readonly CliCommand[],
  prefix: string[] = [],
): { path: string[]; spec: CliCommand }[] {
  return commands.flatMap((spec) => [
    { path: [...prefix, spec.name], spec },
    ...paths(spec.subcommands ?? [], [...prefix, spec.name]),
  ]);
}

async function run(argv: string[]) {
  let out = "";
  let err = "";
  const code = await runProgram(COMMANDS, argv, {
    version: "9.9.9",
    footer: ENVIRONMENT_HELP,
    output: { writeOut: (text) => (out += text), writeErr: (text) => (err += text) },
  });
  return { code, out, err };
}

describe("countersign --help", () => {
  const all = paths(COMMANDS);

  it("walks every command (there are some)", () => {
    expect(all.map(({ path }) => path.join(" "))).toEqual(
      expect.arrayContaining([
        "serve",
        "keys create",
        "identities put",
        "audit verify",
        "mcp gateway",
        "verify",
      ]),
    );
  });

  it.each(all.map(({ path, spec }) => [path.join(" "), path, spec] as const))(
    "%s --help shows its usage, every option and exits 0",
    async (_name, path, spec) => {
      const { code, out } = await run([...path, "--help"]);
      expect(code).toBe(0);
      expect(out).toContain(`Usage: countersign ${path.join(" ")}`);
      expect(out).toContain(spec.summary.split(" ").slice(0, 3).join(" "));
      for (const option of Object.keys(spec.options ?? {})) expect(out).toContain(`--${option}`);
      for (const sub of spec.subcommands ?? []) expect(out).toContain(sub.name);
    },
  );

  it("answers help COMMAND too, and lists environment variables and exit codes at the top", async () => {
    expect((await run(["help", "keys"])).out).toContain("Usage: countersign keys");
    const top = await run(["--help"]);
    expect(top.code).toBe(0);
    expect(top.out).toContain("COUNTERSIGN_LOG_LEVEL");
    expect(top.out).toMatch(/Exit codes:\n {2}0 {2}done/);
  });

  it("is a usage error (exit 2) for an unknown command or subcommand, and for none", async () => {
    expect(await run(["frobnicate"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown command"),
    });
    expect((await run(["keys", "frobnicate"])).code).toBe(2);
    expect((await run(["keys"])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it("prints the package version with --version, from a real process", () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    const result = runCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
    const help = runCli(["audit", "bundle", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: countersign audit bundle [options] <PAUSE_ID>");
  }, 60_000);
});
