// End-to-end check of the Countersign Approval node inside a real n8n.
// Run through ./e2e (which picks Node 24). Options:
//   --if-installed  exit 0 with a notice when n8n is not in the cache (for CI without n8n)
//   --keep          keep the temporary n8n folder for inspection
// Environment: COUNTERSIGN_N8N_VERSION (default 2.41.1), COUNTERSIGN_N8N_CACHE (default ~/.cache/countersign-n8n).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { signWebhook } from "@countersign/core";
import { startTestServer, type TestServer } from "@countersign/core/testing";
import { type AgentToolGate, prepareAgentToolGate } from "./scenarios/ai-agent-tool-gate.mts";
import { prepareTriggerScenario, runTriggerScenario } from "./scenarios/trigger.mts";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = join(packageDir, "..", "..");
const n8nVersion = process.env.COUNTERSIGN_N8N_VERSION ?? "2.41.1";
const cacheDir = process.env.COUNTERSIGN_N8N_CACHE ?? join(homedir(), ".cache", "countersign-n8n");
const n8nBin = join(cacheDir, "node_modules", "n8n", "bin", "n8n");
const flags = new Set(process.argv.slice(2));
const workflowId = "csRefundApproval";
const expiringWorkflowId = "csRefundExpiring";
const started = Date.now();
/** The n8n owner the run sets up (checkCredentialTest) and signs in as. */
const OWNER = { email: "owner@example.com", password: "Countersign-e2e-1" };

function log(message: string): void {
  console.log(`[e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

/** Runs a command to completion with Node 24 first on PATH; throws with its output when it fails. */
function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? packageDir,
    env: { ...process.env, ...options.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function installedVersion(): string | null {
  try {
    return JSON.parse(readFileSync(join(cacheDir, "node_modules", "n8n", "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

function ensureN8n(): void {
  if (installedVersion() !== n8nVersion) {
    if (flags.has("--if-installed")) {
      log(
        `n8n ${n8nVersion} is not installed in ${cacheDir}; skipping (run without --if-installed to install it)`,
      );
      process.exit(0);
    }
    log(`installing n8n ${n8nVersion} into ${cacheDir} (several minutes the first time)`);
    mkdirSync(cacheDir, { recursive: true });
    // linkedom 0.18.15 needs `cssomnom`, which the registry does not serve; 0.18.14 satisfies n8n's range.
    writeFileSync(
      join(cacheDir, "package.json"),
      JSON.stringify({ name: "countersign-n8n-cache", private: true, overrides: { linkedom: "0.18.14" } }),
    );
    // Install scripts are skipped: several optional native addons download sources from outside npm.
    // n8n itself needs only sqlite3, rebuilt below.
    run(
      "npm",
      ["install", `n8n@${n8nVersion}`, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
      {
        cwd: cacheDir,
      },
    );
  }
  const probe = spawnSync(process.execPath, ["-e", "require('sqlite3')"], { cwd: cacheDir });
  if (probe.status !== 0) {
    log("building sqlite3 from source (N-API, so it loads on Node 24)");
    run("npm", ["rebuild", "sqlite3", "--build-from-source"], { cwd: cacheDir });
  }
  log(`n8n ${installedVersion()} ready in ${cacheDir}`);
}

function buildNode(): void {
  // The package's own build: esbuild bundles @countersign/verify into dist/, so dist/ loads standalone.
  run(process.execPath, [join(packageDir, "scripts", "build.mjs")]);
  log("built the node (CommonJS dist/ with @countersign/verify bundled, and the icon)");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface ExecutionRow {
  id: number;
  status: string;
  waitTill: string | null;
}

function openDatabase(home: string): DatabaseSync {
  return new DatabaseSync(join(home, ".n8n", "database.sqlite"), { readOnly: true });
}

function latestExecution(home: string, afterId: number): ExecutionRow | undefined {
  const database = openDatabase(home);
  try {
    const row = database
      .prepare(
        'SELECT id, status, "waitTill" AS waitTill FROM execution_entity WHERE id > ? ORDER BY id DESC LIMIT 1',
      )
      .get(afterId) as ExecutionRow | undefined;
    return row ? { ...row, id: Number(row.id) } : undefined;
  } finally {
    database.close();
  }
}

/** The node names that ran in an execution, and the Countersign node's two outputs. */
function executionRun(home: string, executionId: number) {
  const flatted = createRequire(join(cacheDir, "node_modules", "n8n", "package.json"))("flatted");
  const database = openDatabase(home);
  try {
    const row = database
      .prepare("SELECT data FROM execution_data WHERE executionId = ?")
      .get(executionId) as {
      data: string;
    };
    const runData = flatted.parse(row.data).resultData.runData as Record<
      string,
      { data?: { main?: unknown[][] } }[]
    >;
    const outputs = runData["Approve refund"]?.at(-1)?.data?.main ?? [];
    return { nodes: Object.keys(runData), approved: outputs[0] ?? [], rejected: outputs[1] ?? [] };
  } finally {
    database.close();
  }
}

/** Runs the credential's test the way the editor's "Test" button does: with a good key, then a wrong one. */
async function checkCredentialTest(base: string, countersign: TestServer): Promise<void> {
  const headers = { "content-type": "application/json", "browser-id": "countersign-e2e" };
  const setup = await fetch(`${base}/rest/owner/setup`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      email: OWNER.email,
      firstName: "E2E",
      lastName: "Owner",
      password: OWNER.password,
    }),
  });
  if (!setup.ok) throw new Error(`owner setup answered ${setup.status}: ${await setup.text()}`);
  const cookie = setup.headers
    .getSetCookie()
    .map((entry) => entry.split(";")[0])
    .join("; ");
  const test = async (apiKey: string) => {
    const response = await fetch(`${base}/rest/credentials/test`, {
      method: "POST",
      headers: { ...headers, cookie },
      body: JSON.stringify({
        credentials: {
          id: "countersignExample",
          name: "Countersign account",
          type: "countersignApi",
          data: {
            serverUrl: countersign.url,
            apiKey,
            webhookSecret: countersign.webhookSecret,
            proofSecret: countersign.proofSecret,
            publicKeys: JSON.stringify(countersign.jwks),
          },
        },
      }),
    });
    const body = (await response.json()) as { data?: { status?: string; message?: string } };
    return body.data ?? { status: `HTTP ${response.status}`, message: JSON.stringify(body) };
  };
  const good = await test(countersign.agentKey);
  const wrong = await test("csk_agent_wrong");
  log(`credential test: agent key -> ${good.status}; wrong key -> ${wrong.status} (${wrong.message})`);
  if (good.status !== "OK" || wrong.status !== "Error")
    throw new Error("the credential test did not tell a good key from a wrong one");
}

async function main(): Promise<number> {
  ensureN8n();
  buildNode();

  const workDir = mkdtempSync(join(tmpdir(), "countersign-n8n-e2e-"));
  const home = join(workDir, "home");
  const extensions = join(workDir, "extensions", "n8n-nodes-countersign");
  mkdirSync(home, { recursive: true });
  cpSync(join(packageDir, "dist"), join(extensions, "dist"), { recursive: true });
  cpSync(join(packageDir, "package.json"), join(extensions, "package.json"));

  let countersign: TestServer | undefined;
  let n8n: ChildProcess | undefined;
  let agentToolGate: AgentToolGate | undefined;
  const logFile = join(workDir, "n8n.log");
  try {
    countersign = await startTestServer();
    log(`Countersign test server on ${countersign.url}`);
    const port = await freePort();
    // The task runners' broker listens too (default 5679): its own free port, so two runs never collide.
    const brokerPort = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      N8N_USER_FOLDER: home,
      N8N_PORT: String(port),
      N8N_LISTEN_ADDRESS: "127.0.0.1",
      N8N_HOST: "127.0.0.1",
      N8N_PROTOCOL: "http",
      N8N_RUNNERS_BROKER_PORT: String(brokerPort),
      N8N_RUNNERS_BROKER_LISTEN_ADDRESS: "127.0.0.1",
      WEBHOOK_URL: `${base}/`,
      N8N_CUSTOM_EXTENSIONS: join(workDir, "extensions"),
      N8N_ENCRYPTION_KEY: "countersign-e2e-encryption-key",
      // The default "vm" engine needs isolated-vm, a native addon the ignore-scripts install does not build.
      N8N_EXPRESSION_ENGINE: "legacy",
      N8N_DIAGNOSTICS_ENABLED: "false",
      N8N_VERSION_NOTIFICATIONS_ENABLED: "false",
      N8N_TEMPLATES_ENABLED: "false",
      N8N_PERSONALIZATION_ENABLED: "false",
      N8N_SECURE_COOKIE: "false",
      N8N_LOG_LEVEL: "info",
      DB_TYPE: "sqlite",
    };

    // The example as users import it; loaded through N8N_CUSTOM_EXTENSIONS the node's type is CUSTOM.*.
    const example = JSON.parse(readFileSync(join(repoDir, "examples", "n8n-refund-approval.json"), "utf8"));
    example.id = workflowId;
    for (const node of example.nodes) {
      if (node.type === "n8n-nodes-countersign.countersignApproval") node.type = "CUSTOM.countersignApproval";
    }
    writeFileSync(join(workDir, "workflow.json"), JSON.stringify(example));
    // The same workflow with a two-second expiry, to see expiry take the Rejected branch.
    const expiring = structuredClone(example);
    expiring.id = expiringWorkflowId;
    expiring.name = `${example.name} (expiring)`;
    for (const node of expiring.nodes) {
      if (node.type === "n8n-nodes-base.webhook") {
        node.parameters.path = "refund-request-expiring";
        node.webhookId = "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
      }
      if (node.type === "CUSTOM.countersignApproval") {
        Object.assign(node.parameters, { expiresAmount: 2, expiresUnit: "seconds" });
      }
    }
    writeFileSync(join(workDir, "workflow-expiring.json"), JSON.stringify(expiring));
    const cli = (...args: string[]) => run(process.execPath, [n8nBin, ...args], { cwd: workDir, env });
    // The AI Agent tool-review scenarios (scripts/scenarios/ai-agent-tool-gate.mts).
    agentToolGate = await prepareAgentToolGate({
      repoDir,
      workDir,
      countersign,
      cli,
      log,
      until,
      latestExecution: (afterId) => latestExecution(home, afterId),
      owner: OWNER,
    });
    writeFileSync(
      join(workDir, "credentials.json"),
      JSON.stringify([
        ...agentToolGate.credentials,
        {
          id: "countersignExample",
          name: "Countersign account",
          type: "countersignApi",
          data: {
            serverUrl: countersign.url,
            apiKey: countersign.agentKey,
            webhookSecret: countersign.webhookSecret,
            proofSecret: countersign.proofSecret,
            publicKeys: JSON.stringify(countersign.jwks),
          },
        },
      ]),
    );
    cli("import:credentials", `--input=${join(workDir, "credentials.json")}`);
    cli("import:workflow", `--input=${join(workDir, "workflow.json")}`);
    cli("import:workflow", `--input=${join(workDir, "workflow-expiring.json")}`);
    cli("publish:workflow", `--id=${workflowId}`);
    cli("publish:workflow", `--id=${expiringWorkflowId}`);
    log("imported the credential and examples/n8n-refund-approval.json, and published the workflow");
    prepareTriggerScenario({ repoDir, workDir, countersign, cli });
    agentToolGate.importWorkflow();

    const output = openSync(logFile, "a");
    n8n = spawn(process.execPath, [n8nBin, "start"], {
      cwd: workDir,
      env: { ...process.env, ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
      stdio: ["ignore", output, output],
    });
    await until("n8n to start", 180_000, () =>
      readFileSync(logFile, "utf8").includes("Editor is now accessible") ? true : undefined,
    );
    log(`n8n ${n8nVersion} listening on ${base}`);
    await checkCredentialTest(base, countersign);

    const scenarios = [
      { name: "approve", path: "refund-request", expectNode: "Issue refund", otherNode: "Refund declined" },
      { name: "reject", path: "refund-request", expectNode: "Refund declined", otherNode: "Issue refund" },
      {
        name: "expire",
        path: "refund-request-expiring",
        expectNode: "Refund declined",
        otherNode: "Issue refund",
      },
    ] as const;
    let failures = 0;
    for (const scenario of scenarios) {
      const before = latestExecution(home, 0)?.id ?? 0;
      const order = {
        order_id: `10${before + 42}`,
        amount: 129.9,
        currency: "EUR",
        customer: "ada@example.com",
        reason: "Damaged parcel",
      };
      // n8n registers production webhooks shortly after it starts listening: retry while it answers 404.
      const started = await until("the workflow's webhook", 60_000, async () => {
        const response = await fetch(`${base}/webhook/${scenario.path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(order),
        });
        return response.status === 404 ? undefined : response;
      });
      if (!started.ok)
        throw new Error(`the workflow's webhook answered ${started.status}: ${await started.text()}`);
      const pause = await countersign.nextPendingPause({ timeoutMs: 60_000 });
      const waiting = await until("the execution to wait", 60_000, () => {
        const row = latestExecution(home, before);
        return row?.status === "waiting" ? row : undefined;
      });
      log(
        `[${scenario.name}] execution ${waiting.id} is waiting (waitTill ${waiting.waitTill}) on pause ${pause.pause_id}; webhook_url ${pause.webhook_url}`,
      );
      if (!pause.webhook_url?.startsWith(`${base}/webhook-waiting/${waiting.id}`)) {
        throw new Error(`the pause's webhook_url is not this execution's resume URL: ${pause.webhook_url}`);
      }

      if (scenario.name === "approve") {
        // A forged approval, signed with the wrong secret, must be refused and leave the execution waiting.
        const body = JSON.stringify({
          type: "pause.decided",
          timestamp: new Date().toISOString(),
          data: { pause: { ...pause, status: "approved" }, proof: null },
        });
        const headers = await signWebhook({
          id: "msg_forged",
          timestamp: Math.floor(Date.now() / 1000),
          body,
          secret: "whsec_Zm9yZ2VkLWZvcmdlZC1mb3JnZWQtZm9yZ2VkIQ==",
        });
        const forged = await fetch(pause.webhook_url, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body,
        });
        const still = latestExecution(home, before);
        log(
          `[approve] forged webhook answered ${forged.status}: ${await forged.text()}; execution is ${still?.status}`,
        );
        if (forged.status !== 401 || still?.status !== "waiting") {
          throw new Error("a forged webhook was not refused with 401, or the execution stopped waiting");
        }
        log("[approve] approving in Countersign as alice@example.com");
        await countersign.approve(pause.pause_id, { reason: "Photos confirm the damage" });
      } else if (scenario.name === "reject") {
        log("[reject] rejecting in Countersign as alice@example.com");
        await countersign.reject(pause.pause_id, "Outside the return window");
      } else {
        log("[expire] deciding nothing; the pause expires after two seconds");
      }

      const done = await until("the execution to finish", 60_000, () => {
        const row = latestExecution(home, before);
        return row && !["waiting", "running", "new"].includes(row.status) ? row : undefined;
      });
      const result = executionRun(home, done.id);
      const ran = result.nodes.includes(scenario.expectNode) && !result.nodes.includes(scenario.otherNode);
      const item = ((result.approved.length > 0 ? result.approved : result.rejected)[0] ?? {}) as {
        json?: Record<string, unknown>;
      };
      log(
        `[${scenario.name}] execution ${done.id} ${done.status}; nodes that ran: ${result.nodes.join(", ")}; ` +
          `Approved items ${result.approved.length}, Rejected items ${result.rejected.length}; ` +
          `decision ${String(item.json?.decision)} by ${JSON.stringify(item.json?.approver)} reason ${JSON.stringify(item.json?.reason)}`,
      );
      const claimedAt = (await countersign.server.service.getPause(pause.pause_id))?.claimed_at ?? null;
      if (scenario.name === "approve")
        log(`[approve] the approval was claimed in Countersign at ${claimedAt}`);
      if (done.status !== "success" || !ran || (scenario.name === "approve") !== (claimedAt !== null)) {
        failures += 1;
        log(
          `[${scenario.name}] FAILED: expected "${scenario.expectNode}" to run and "${scenario.otherNode}" not to`,
        );
      } else {
        log(`[${scenario.name}] ok: "${scenario.expectNode}" ran`);
      }
    }
    failures += await runTriggerScenario({ base, home, cacheDir, countersign, log, until });
    failures += await agentToolGate.run(base);
    return failures === 0 ? 0 : 1;
  } catch (error) {
    log(`FAILED: ${(error as Error).message}`);
    if (existsSync(logFile)) console.log(readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n"));
    return 1;
  } finally {
    if (n8n && n8n.exitCode === null) {
      n8n.kill("SIGTERM");
      await Promise.race([
        new Promise((resolve) => n8n?.once("exit", resolve)),
        new Promise((resolve) => setTimeout(resolve, 15_000)),
      ]);
      if (n8n.exitCode === null) n8n.kill("SIGKILL");
    }
    await agentToolGate?.close();
    await countersign?.close();
    if (flags.has("--keep")) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

const code = await main();
log(code === 0 ? "PASS: the right branch ran in every scenario" : "FAIL");
process.exit(code);
