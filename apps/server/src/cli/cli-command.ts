/** One option, as `node:util` parseArgs reads it and as `--help` shows it. */
export interface CliOption {
  type: "string" | "boolean";
  /** Repeatable (`--group a --group b`). */
  multiple?: boolean;
  description: string;
  /** The value's name in help, e.g. `FILE`. Default `VALUE`. */
  value?: string;
}

export type OptionTable = Readonly<Record<string, CliOption>>;

export interface CliArgument {
  name: string;
  description: string;
  required?: boolean;
}

/**
 * A command or subcommand of `countersign`, declared once: commander builds
 * its help and dispatch from this, and the command's parser reads the same
 * option table.
 */
export interface CliCommand {
  name: string;
  summary: string;
  /** Longer help, after the usage line. */
  description?: string;
  arguments?: readonly CliArgument[];
  options?: OptionTable;
  subcommands?: readonly CliCommand[];
  /** Runs the command with every argument after the top-level command's name; resolves with the exit code. */
  run?: (args: string[]) => Promise<number>;
}

/** The options of `table` named in `names`, for one subcommand's help. */
export function pick<Table extends OptionTable>(
  table: Table,
  ...names: (keyof Table & string)[]
): OptionTable {
  return Object.fromEntries(names.map((name) => [name, table[name]!]));
}
