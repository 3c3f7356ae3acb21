import { Command, CommanderError, Option } from "commander";
import { UsageError } from "../usage-error.ts";
import type { CliCommand } from "./cli-command.ts";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes.ts";

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

export interface ProgramOptions {
  version: string;
  /** Shown after the top-level help (environment variables). */
  footer: string;
  output?: ProgramOutput;
}

/**
 * Runs `countersign` (commander) over `argv` (the arguments after the
 * program's name): help on every command and subcommand, `--version`, and
 * dispatch to each command's `run` with the arguments after the top-level
 * command's name. Resolves with the exit code: help and version 0, usage
 * mistakes 2 (see exit-codes.ts).
 */
export async function runProgram(
  commands: readonly CliCommand[],
  argv: readonly string[],
  options: ProgramOptions,
): Promise<number> {
  const output = options.output ?? {
    writeOut: (text: string) => process.stdout.write(text),
    writeErr: (text: string) => process.stderr.write(text),
  };
  let code: number = EXIT.ok;
  const program = new Command("countersign")
    .description("Countersign — human sign-off for AI agent actions")
    .version(options.version, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", `\n${options.footer}\n${EXIT_CODES_HELP}\n`);
  const afterCommand = (name: string) => argv.slice(argv.indexOf(name) + 1);
  for (const spec of commands) {
    add(program, spec, async (run) => {
      code = await run(afterCommand(spec.name));
    });
  }
  if (argv.length === 0) {
    output.writeErr(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version"
        ? EXIT.ok
        : EXIT.usage;
    }
    if (error instanceof UsageError) {
      output.writeErr(`countersign ${argv[0]}: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

function add(
  parent: Command,
  spec: CliCommand,
  dispatch: (run: (args: string[]) => Promise<number>) => Promise<void>,
): void {
  const command = parent.command(spec.name).summary(spec.summary);
  command.description(spec.description ? `${spec.summary}\n\n${spec.description}` : spec.summary);
  for (const argument of spec.arguments ?? []) {
    command.argument(argument.required ? `<${argument.name}>` : `[${argument.name}]`, argument.description);
  }
  for (const [name, option] of Object.entries(spec.options ?? {})) {
    const flags = option.type === "string" ? `--${name} <${option.value ?? "VALUE"}>` : `--${name}`;
    const declared = new Option(
      flags,
      option.multiple ? `${option.description} (repeatable)` : option.description,
    );
    if (option.multiple) declared.argParser((value: string, previous: string[] = []) => [...previous, value]);
    command.addOption(declared);
  }
  for (const sub of spec.subcommands ?? []) add(command, sub, dispatch);
  const run = spec.run;
  // The command's own parser reads the arguments again, from the same option table: it keeps
  // each command's exact checks and messages; commander routes, checks arguments and helps.
  if (run)
    command
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => dispatch(run));
}
