import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ENSURE_CHROMIUM = fileURLToPath(new URL("../../../../../scripts/ensure-chromium.sh", import.meta.url));
const BUILD_INBOX = fileURLToPath(new URL("./build-inbox-if-stale.ts", import.meta.url));

/**
 * Before apps/server's tests: Debian's chromium for the inbox browser tests
 * (installed with apt-get when missing) and a current build of apps/inbox.
 */
export default function setup(): void {
  run("bash", [ENSURE_CHROMIUM], "installing chromium");
  run("flock", ["/tmp/countersign-inbox-build.lock", process.execPath, BUILD_INBOX], "building the inbox");
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error(`${what} failed (${command} exited with ${result.status})`);
}
