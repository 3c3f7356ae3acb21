// Runs every check a newcomer and CI run: lint, types, then each package's tests,
// and closes with one line counting every test ("Tests: N passed, N failed").
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const RESULTS = ".vitest-results.json";
const workspaces = ["packages", "apps", "examples", "bench"]
  .flatMap((root) => (existsSync(root) ? readdirSync(root).map((name) => join(root, name)) : []))
  .filter((dir) => existsSync(join(dir, "package.json")));
for (const dir of workspaces) rmSync(join(dir, RESULTS), { force: true });

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  return spawnSync(command, args, { stdio: "inherit", env: process.env }).status ?? 1;
}

let failed = run("biome", ["check", "."]) !== 0;
failed = run("turbo", ["run", "typecheck", "--output-logs=errors-only"]) !== 0 || failed;
const testStatus = run("turbo", [
  "run",
  "test",
  "--concurrency=1",
  "--continue",
  "--",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${RESULTS}`,
]);
failed = testStatus !== 0 || failed;

let passed = 0;
let failedTests = 0;
let skipped = 0;
for (const dir of workspaces) {
  const file = join(dir, RESULTS);
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, "utf8"));
  passed += result.numPassedTests;
  failedTests += result.numFailedTests;
  skipped += result.numPendingTests + (result.numTodoTests ?? 0);
  console.log(`  ${dir}: ${result.numPassedTests} passed, ${result.numFailedTests} failed`);
}
if (passed === 0) failed = true;
console.log(`\nTests: ${passed} passed, ${failedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || failedTests > 0 ? 1 : 0);
