// Added latency of an ungated (allowed) MCP tool call through `countersign mcp gateway`, against the
// same call made straight to the upstream, in the same run: the official SDK client, the real
// everything server from npm, stdio on both paths (the gateway adds one process hop). A third
// path runs the same gateway in this process (client ↔ gateway in memory) to show its own cost
// apart from the extra hop.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGateway, GatewayConfigSchema, memoryRecorder, pinnedKeys } from "@countersign/mcp";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { CLI_ARGS, createKey, startCountersign } from "./processes.mjs";
import { summarize } from "./stats.mjs";

const EVERYTHING = createRequire(import.meta.url).resolve(
  "@modelcontextprotocol/server-everything/dist/index.js",
);
const UPSTREAM = `${JSON.stringify(process.execPath)} ${JSON.stringify(EVERYTHING)} stdio`;

async function connect(command, args, env = {}) {
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command,
      args,
      env: { PATH: process.env.PATH ?? "", ...env },
      stderr: "ignore",
    }),
  );
  return client;
}

export async function measureMcpGateway({ iterations = 2000, warmup = 200 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "countersign-bench-mcp-"));
  const dataDir = join(dir, "countersign");
  const agentKey = createKey(dataDir, "agent", "owner@example.com");
  const server = await startCountersign(dataDir);
  const clients = [];
  let inProcess;
  try {
    const jwks = await (await fetch(`${server.url}/v1/keys`)).text();
    const env = { COUNTERSIGN_URL: server.url, COUNTERSIGN_AGENT_KEY: agentKey, COUNTERSIGN_JWKS: jwks };
    const gatewayWith = async (name, config) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ recording: { file: join(dir, `${name}.jsonl`) }, ...config }));
      return connect(
        process.execPath,
        [...CLI_ARGS, "mcp", "gateway", "--upstream", UPSTREAM, "--policy", file],
        env,
      );
    };
    // The gateway's own work without its process hop: the client talks to it in memory.
    inProcess = await createGateway({
      config: GatewayConfigSchema.parse({ rules: [{ tool: "echo", decision: "allow" }] }),
      upstreams: [
        {
          name: "upstream",
          prefix: "",
          transport: { command: process.execPath, args: [EVERYTHING, "stdio"] },
        },
      ],
      countersignUrl: server.url,
      trustedKeys: pinnedKeys(JSON.parse(jwks)),
      recorder: memoryRecorder(),
      upstreamStderr: "ignore",
    });
    const [clientSide, gatewaySide] = InMemoryTransport.createLinkedPair();
    await inProcess.createSession({ apiKey: agentKey, sessionId: "bench" }).connect(gatewaySide);
    const inMemoryClient = new Client({ name: "bench", version: "1.0.0" });
    await inMemoryClient.connect(clientSide);
    const paths = {
      direct: await connect(process.execPath, [EVERYTHING, "stdio"]),
      gateway_in_process: inMemoryClient,
      gateway: await gatewayWith("plain", { rules: [{ tool: "echo", decision: "allow" }] }),
      // The same, with the three built-in masking patterns run over every result.
      gateway_masking: await gatewayWith("masking", {
        rules: [{ tool: "echo", decision: "allow" }],
        masking: [{ patterns: ["card_number", "api_key", "email"] }],
      }),
    };
    clients.push(...Object.values(paths));
    const samples = Object.fromEntries(Object.keys(paths).map((name) => [name, []]));
    const call = { name: "echo", arguments: { message: "The order for jane@example.com ships today." } };
    for (let index = 0; index < warmup + iterations; index++) {
      // Interleaved, so load on the machine hits every path alike.
      for (const [name, client] of Object.entries(paths)) {
        const startedAt = performance.now();
        await client.callTool(call);
        if (index >= warmup) samples[name].push(performance.now() - startedAt);
      }
    }
    const summaries = Object.fromEntries(
      Object.entries(samples).map(([name, list]) => [name, summarize(list)]),
    );
    const added = (name) => ({
      p50_ms: round(summaries[name].p50_ms - summaries.direct.p50_ms),
      p99_ms: round(summaries[name].p99_ms - summaries.direct.p99_ms),
    });
    return {
      call: "everything server `echo`, allowed by the gateway's policy, over stdio",
      direct: summaries.direct,
      through_gateway: summaries.gateway,
      through_gateway_with_masking: summaries.gateway_masking,
      through_gateway_in_process: summaries.gateway_in_process,
      added: added("gateway"),
      added_with_masking: added("gateway_masking"),
      added_in_process: added("gateway_in_process"),
      target_added_p50_ms: 1,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await inProcess?.close();
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (value) => Math.round(value * 1000) / 1000;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  const result = await measureMcpGateway(quick ? { iterations: 300, warmup: 50 } : {});
  console.log(JSON.stringify(result, null, 2));
}
