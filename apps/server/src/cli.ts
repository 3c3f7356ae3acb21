#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { COMMANDS, ENVIRONMENT_HELP } from "./cli/commands.ts";
import { EXIT } from "./cli/exit-codes.ts";
import { runProgram } from "./cli/run-program.ts";

/** The package's version: `package.json` sits one folder up from both `src/` and `dist/`. */
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

runProgram(COMMANDS, process.argv.slice(2), { version, footer: ENVIRONMENT_HELP }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`countersign: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
