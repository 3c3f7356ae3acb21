import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../apps/server/src/cli.ts", import.meta.url));

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

export function startCountersign(dataDir) {
  return startListening([
    "--conditions=@countersign/source",
    CLI,
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
      "--conditions=@countersign/source",
      CLI,
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
