// Builds apps/inbox when its sources are newer than its build. Run under flock by the
// test global setup, so concurrent test runs build once and never over each other.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const INBOX_DIR = fileURLToPath(new URL("../../../../inbox/", import.meta.url));
const BUILT_PAGE = join(INBOX_DIR, "dist/index.html");
// The workspace packages the inbox bundles from source count too.
const SOURCES = [
  "index.html",
  "vite.config.ts",
  "package.json",
  "src",
  "public",
  "../../packages/markdown/src",
  "../../packages/verify/src",
];

function newestChange(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) continue;
    newest = info.isDirectory()
      ? Math.max(newest, newestChange(readdirSync(path).map((name) => join(path, name))))
      : Math.max(newest, info.mtimeMs);
  }
  return newest;
}

const built = statSync(BUILT_PAGE, { throwIfNoEntry: false });
if (!built || newestChange(SOURCES.map((name) => join(INBOX_DIR, name))) > built.mtimeMs) {
  const vite = join(INBOX_DIR, "node_modules/vite/bin/vite.js");
  const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
    cwd: INBOX_DIR,
    // vitest sets NODE_ENV=test; the tests drive the production build, not a development one.
    env: { ...process.env, NODE_ENV: "production" },
    stdio: "inherit",
  });
  process.exit(result.status ?? 1);
}
