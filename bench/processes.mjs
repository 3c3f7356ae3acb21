import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The server as users run it: the built CLI (`npx --yes pnpm@10 bench` builds it first).
// COUNTERSIGN_BENCH_SOURCE=1 runs the TypeScript sources instead: Node strips their types as it
// loads them, which costs about 60 MB more resident memory and slower starts.
const FROM_SOURCE = process.env.COUNTERSIGN_BENCH_SOURCE === "1";
const CLI = fileURLToPath(
  new URL(FROM_SOURCE ? "../apps/server/src/cli.ts" : "../apps/server/dist/cli.js", import.meta.url),
);
if (!existsSync(CLI)) {
  throw new Error(
    `${CLI} is missing: run \`npx --yes pnpm@10 build\` first (\`npx --yes pnpm@10 bench\` does)`,
  );
}
/** The node arguments that run the `countersign` CLI. */
export const CLI_ARGS = FROM_SOURCE ? ["--conditions=@countersign/source", CLI] : [CLI];

/** Starts a process that prints "listening on <url>" and resolves with that URL. */
export function startListening(args) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ url: match[1], pid: child.pid, stop: () => child.kill("SIGTERM") });
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

/** `nodeFlags`: options for node itself (V8's heap sizes, say), before the CLI. */
export function startCountersign(dataDir, { nodeFlags = [] } = {}) {
  return startListening([
    ...nodeFlags,
    ...CLI_ARGS,
    "serve",
    "--port",
    "0",
    "--data-dir",
    dataDir,
    // One log line per request would go to this terminal (stderr is inherited): errors and warnings only.
    "--log-level",
    "warn",
  ]);
}

export function createKey(dataDir, role, identity) {
  const result = spawnSync(
    process.execPath,
    [
      ...CLI_ARGS,
      "keys",
      "create",
      "--role",
      role,
      "--identity",
      identity,
      "--data-dir",
      dataDir,
      // The bench's store is new; agent keys act as any agent id the bench posts.
      "--init",
      ...(role === "agent" ? ["--agent-id", "*"] : []),
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout).key;
}
