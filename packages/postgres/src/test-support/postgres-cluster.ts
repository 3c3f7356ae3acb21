import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

/**
 * Stops, starts and restarts the local Postgres cluster the tests run on
 * (Debian's pg_ctlcluster, as on the CI machines). Asynchronous, so requests
 * keep flowing while Postgres goes down and comes back.
 */
export function localCluster() {
  const versions = existsSync("/etc/postgresql") ? readdirSync("/etc/postgresql").sort() : [];
  const version = versions.at(-1);
  if (version === undefined) {
    throw new Error(
      "These tests stop and restart the local Postgres cluster with pg_ctlcluster, and found none under /etc/postgresql.",
    );
  }
  const run = (action: "start" | "stop" | "restart") =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", action], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once("error", reject);
      child.once("exit", (code) => resolve({ code, output }));
    });
  const must = async (action: "start" | "stop" | "restart") => {
    const result = await run(action);
    if (result.code !== 0)
      throw new Error(`pg_ctlcluster ${version} main ${action} failed: ${result.output}`);
  };
  return {
    stop: () => must("stop"),
    start: () => must("start"),
    restart: () => must("restart"),
    /** Starts the cluster unless it is running; for `finally` blocks. */
    async ensureRunning(): Promise<void> {
      const result = await run("start");
      // 2: "Cluster is already running."
      if (result.code !== 0 && result.code !== 2) {
        throw new Error(`Postgres could not be started again: ${result.output}`);
      }
    },
  };
}
