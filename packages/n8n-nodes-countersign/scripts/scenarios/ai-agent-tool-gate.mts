// Countersign as the Human review of an n8n AI Agent's tool calls, in a real
// n8n: examples/n8n-ai-agent-tool-review.json with a scripted chat model (no
// LLM, no network) and a refund API on 127.0.0.1 as the gated tool's target.
// Scenarios: approve (then a replayed decision), reject, approve with edits,
// expire. Each checks what a user would see: whether the refund happened, how
// many times, with which arguments, and what the agent was told.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestServer } from "@countersign/core/testing";
import { type RefundService, startRefundService } from "./refund-service.mts";
import { type ScriptedChatModel, startScriptedChatModel } from "./scripted-chat-model.mts";

const WORKFLOW_ID = "csAgentToolReview";
const WEBHOOK_PATH = "agent-refund";

export interface AgentScenarioHost {
  repoDir: string;
  workDir: string;
  countersign: TestServer;
  /** Runs an n8n CLI command (import:…, publish:…) against the test instance. */
  cli: (...args: string[]) => string;
  log: (message: string) => void;
  until: <T>(
    what: string,
    timeoutMs: number,
    probe: () => T | undefined | Promise<T | undefined>,
  ) => Promise<T>;
  latestExecution: (afterId: number) => { id: number; status: string } | undefined;
  /** The instance owner, already set up. */
  owner: { email: string; password: string };
}

export interface AgentToolGate {
  /** n8n credentials the workflow needs, for the host's `import:credentials` (the scripted model's). */
  credentials: Record<string, unknown>[];
  /** Imports and publishes the workflow (after the credentials), before n8n starts. */
  importWorkflow(): void;
  /** Runs the scenarios against the started n8n; returns the number that failed. */
  run(base: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts the scripted model and the refund API, and writes the workflow as the test imports it. */
export async function prepareAgentToolGate(host: AgentScenarioHost): Promise<AgentToolGate> {
  const model = await startScriptedChatModel();
  const refunds = await startRefundService();
  const example = JSON.parse(
    readFileSync(join(host.repoDir, "examples", "n8n-ai-agent-tool-review.json"), "utf8"),
  );
  example.id = WORKFLOW_ID;
  for (const node of example.nodes) {
    // Loaded through N8N_CUSTOM_EXTENSIONS, the package's types are CUSTOM.*.
    node.type = node.type.replace(/^n8n-nodes-countersign\./, "CUSTOM.");
    if (node.name === "Issue refund") node.parameters.url = `${refunds.url}/refunds`;
    // The request may ask for a short expiry, to see expiry refuse the call.
    if (node.name === "Countersign review") {
      Object.assign(node.parameters, {
        expiresAmount: "={{ $json.body.expires_seconds || 3600 }}",
        expiresUnit: "seconds",
      });
    }
  }
  writeFileSync(join(host.workDir, "agent-workflow.json"), JSON.stringify(example));
  return {
    importWorkflow: () => {
      host.cli("import:workflow", `--input=${join(host.workDir, "agent-workflow.json")}`);
      host.cli("publish:workflow", `--id=${WORKFLOW_ID}`);
      host.log(
        "imported examples/n8n-ai-agent-tool-review.json with a scripted chat model and a local refund API",
      );
    },
    credentials: [
      {
        id: "openAiExample",
        name: "OpenAI account",
        type: "openAiApi",
        data: { apiKey: "sk-scripted-model", url: model.url, header: false },
      },
    ],
    run: (base) => runScenarios(host, base, model, refunds),
    close: async () => {
      await model.close();
      await refunds.close();
    },
  };
}

async function runScenarios(
  host: AgentScenarioHost,
  base: string,
  model: ScriptedChatModel,
  refunds: RefundService,
): Promise<number> {
  const { countersign, log, until } = host;
  const scenarios = [
    {
      name: "approve",
      order: "2001",
      amount: 40,
      decide: (id: string) => countersign.approve(id, { reason: "Receipt checked" }),
    },
    {
      name: "reject",
      order: "2002",
      amount: 900,
      decide: (id: string) => countersign.reject(id, "Over the refund limit for this customer"),
    },
    {
      name: "edit",
      order: "2003",
      amount: 75,
      decide: (id: string) => countersign.approve(id, { data: { order_id: "2003", amount: 50 } }),
    },
    { name: "expire", order: "2004", amount: 60, expires: 2, decide: async () => undefined },
  ] as const;
  let failures = 0;
  for (const scenario of scenarios) {
    const tag = `[agent-${scenario.name}]`;
    const before = host.latestExecution(0)?.id ?? 0;
    const refundsBefore = refunds.refunds.length;
    const toolResultsBefore = model.toolResults().length;
    const started = await until("the agent workflow's webhook", 60_000, async () => {
      // A connection n8n closed while idle fails before the request is sent: try again.
      const response = await fetch(`${base}/webhook/${WEBHOOK_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          message: `Please refund order ${scenario.order} for ${scenario.amount}`,
          ...("expires" in scenario && { expires_seconds: scenario.expires }),
        }),
      }).catch((error: Error) => {
        log(`${tag} the webhook request failed (${String(error.cause ?? error.message)}); retrying`);
        return undefined;
      });
      return response === undefined || response.status === 404 ? undefined : response;
    });
    if (!started.ok)
      throw new Error(`the agent workflow's webhook answered ${started.status}: ${await started.text()}`);
    const pause = await countersign.nextPendingPause({ timeoutMs: 60_000 });
    const waiting = await until("the agent's execution to wait", 60_000, () => {
      const row = host.latestExecution(before);
      return row?.status === "waiting" ? row : undefined;
    });
    log(
      `${tag} execution ${waiting.id} waits on pause ${pause.pause_id}: action ${pause.action.type} ` +
        `data ${JSON.stringify(pause.action.data)} tool ${String(pause.context.tool_name)}; refunds so far ${refunds.refunds.length - refundsBefore}`,
    );
    await scenario.decide(pause.pause_id);
    const done = await until("the agent's execution to finish", 60_000, () => {
      const row = host.latestExecution(before);
      return row && !["waiting", "running", "new"].includes(row.status) ? row : undefined;
    });
    const ran = refunds.refunds.slice(refundsBefore);
    // The tool results as the model read them, with the JSON string escaping undone.
    const told = model.toolResults().slice(toolResultsBefore).join(" | ").replaceAll('\\"', '"');
    const claimedAt = (await countersign.server.service.getPause(pause.pause_id))?.claimed_at ?? null;
    log(
      `${tag} execution ${done.id} ${done.status}; refunds run ${ran.length} ${JSON.stringify(ran)}; ` +
        `claimed ${claimedAt ?? "no"}; the agent was told: ${told}`,
    );
    const expected = {
      approve:
        ran.length === 1 &&
        ran[0]?.order_id === scenario.order &&
        Number(ran[0]?.amount) === scenario.amount &&
        claimedAt !== null,
      reject:
        ran.length === 0 && told.includes("Over the refund limit for this customer") && claimedAt === null,
      edit:
        ran.length === 0 && told.includes('"amount":50') && told.includes("not run") && claimedAt === null,
      expire: ran.length === 0 && /not approved in time/.test(told) && claimedAt === null,
    }[scenario.name];
    const shape =
      pause.action.type === "refund" &&
      JSON.stringify(pause.action.data) ===
        JSON.stringify({ order_id: scenario.order, amount: scenario.amount }) &&
      pause.context.tool_name === "Issue_refund";
    if (done.status !== "success" || !expected || !shape) {
      failures += 1;
      log(`${tag} FAILED`);
    } else {
      log(`${tag} ok`);
    }
    if (scenario.name === "approve") failures += await replayDecision(host, pause.pause_id, refunds);
  }
  await checkNodeTypes(host, base);
  return failures;
}

/** Has Countersign deliver the approval again (an admin's redelivery): the refund must not run twice. */
async function replayDecision(
  host: AgentScenarioHost,
  pauseId: string,
  refunds: RefundService,
): Promise<number> {
  const { countersign, log, until } = host;
  const refundsBefore = refunds.refunds.length;
  const list = (await (
    await fetch(`${countersign.url}/v1/pauses/${pauseId}/webhooks`, {
      headers: { authorization: `Bearer ${countersign.agentKey}` },
    })
  ).json()) as { data: { delivery_id: string; attempts: number }[] };
  const delivery = list.data[0];
  if (!delivery) throw new Error(`no webhook delivery for pause ${pauseId}`);
  const redelivered = await fetch(`${countersign.url}/v1/webhooks/${delivery.delivery_id}/redeliver`, {
    method: "POST",
    headers: { authorization: `Bearer ${countersign.adminKey}` },
  });
  if (redelivered.status !== 202) throw new Error(`redelivery answered ${redelivered.status}`);
  const answered = await until("the replayed decision to be answered", 30_000, async () => {
    const after = (await (
      await fetch(`${countersign.url}/v1/pauses/${pauseId}/webhooks`, {
        headers: { authorization: `Bearer ${countersign.agentKey}` },
      })
    ).json()) as { data: { attempts: number; last_status: number | null }[] };
    const current = after.data[0];
    return current && current.attempts > delivery.attempts ? current : undefined;
  });
  // Give a wrongly resumed execution time to reach the refund API.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const ranAgain = refunds.refunds.length - refundsBefore;
  log(
    `[agent-replay] n8n answered the replayed approval ${answered.last_status}; refunds run again ${ranAgain}`,
  );
  if (ranAgain !== 0 || answered.last_status === null || answered.last_status < 400) {
    log("[agent-replay] FAILED");
    return 1;
  }
  log("[agent-replay] ok");
  return 0;
}

/**
 * The node types n8n serves its editor: the codex, and the generated Human
 * review variant. Signs in as the owner the host set up (checkCredentialTest).
 */
async function checkNodeTypes(host: AgentScenarioHost, base: string): Promise<void> {
  const headers = { "content-type": "application/json", "browser-id": "countersign-e2e" };
  const login = await fetch(`${base}/rest/login`, {
    method: "POST",
    headers,
    body: JSON.stringify({ emailOrLdapLoginId: host.owner.email, password: host.owner.password }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((entry) => entry.split(";")[0])
    .join("; ");
  const response = await fetch(`${base}/types/nodes.json`, { headers: { ...headers, cookie } });
  if (!response.ok) {
    host.log(`node types: ${base}/types/nodes.json answered ${response.status}`);
    return;
  }
  const types = (await response.json()) as {
    name: string;
    codex?: { categories?: string[]; alias?: string[]; subcategories?: Record<string, string[]> };
  }[];
  const node = types.find((type) => type.name === "CUSTOM.countersignApproval");
  const review = types.find((type) => type.name === "CUSTOM.countersignApprovalHitlTool");
  const tool = types.find((type) => type.name === "CUSTOM.countersignApprovalTool");
  host.log(
    `node types: categories ${JSON.stringify(node?.codex?.categories)} alias ${JSON.stringify(node?.codex?.alias)}; ` +
      `Human review variant ${review ? `listed under ${JSON.stringify(review.codex?.subcategories?.Tools)}` : "missing"}; ` +
      `plain tool variant ${tool ? "listed" : "not listed"}`,
  );
}
