// The Countersign Trigger in a real n8n: examples/n8n-countersign-trigger.json, published before n8n
// starts, so n8n registers its webhook endpoint on activation (webhookMethods.checkExists/create).
// Then a refund pause is rejected in Countersign and the workflow must run with that event; a
// forged delivery must be refused with 401 and start nothing. Hooked into e2e-n8n.mts in two places:
// `prepareTriggerScenario` before n8n starts, `runTriggerScenario` once it listens.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { generateWebhookSecret, signWebhook } from "@countersign/core";
import type { TestServer } from "@countersign/core/testing";

export const TRIGGER_WORKFLOW_ID = "csTriggerTicket";

interface Setup {
  repoDir: string;
  workDir: string;
  countersign: TestServer;
  /** Runs the n8n CLI (import, publish). */
  cli: (...args: string[]) => string;
}

/** Imports the admin credential and the example workflow (node type CUSTOM.*), and publishes it. */
export function prepareTriggerScenario({ repoDir, workDir, countersign, cli }: Setup): void {
  const example = JSON.parse(readFileSync(join(repoDir, "examples", "n8n-countersign-trigger.json"), "utf8"));
  example.id = TRIGGER_WORKFLOW_ID;
  for (const node of example.nodes) {
    if (node.type === "n8n-nodes-countersign.countersignTrigger") {
      node.type = "CUSTOM.countersignTrigger";
      // Only this scenario's agent: the approval scenarios' refund pauses (agent n8n-refunds) must not
      // start it, or their checks of "the latest execution" would read this workflow's.
      node.parameters.agentId = "support-bot";
    }
  }
  const credentials = [
    {
      id: "countersignAdminExample",
      name: "Countersign admin",
      type: "countersignAdminApi",
      data: { serverUrl: countersign.url, apiKey: countersign.adminKey },
    },
  ];
  writeFileSync(join(workDir, "trigger-credentials.json"), JSON.stringify(credentials));
  writeFileSync(join(workDir, "trigger-workflow.json"), JSON.stringify(example));
  cli("import:credentials", `--input=${join(workDir, "trigger-credentials.json")}`);
  cli("import:workflow", `--input=${join(workDir, "trigger-workflow.json")}`);
  cli("publish:workflow", `--id=${TRIGGER_WORKFLOW_ID}`);
}

interface Run {
  base: string;
  home: string;
  cacheDir: string;
  countersign: TestServer;
  log: (message: string) => void;
  until: <T>(
    what: string,
    timeoutMs: number,
    probe: () => T | undefined | Promise<T | undefined>,
  ) => Promise<T>;
}

/** The trigger workflow's executions, newest first, with the nodes that ran. */
function triggerExecutions(
  home: string,
  cacheDir: string,
): { id: number; status: string; nodes: string[]; item: Record<string, unknown> | null }[] {
  const flatted = createRequire(join(cacheDir, "node_modules", "n8n", "package.json"))("flatted");
  const database = new DatabaseSync(join(home, ".n8n", "database.sqlite"), { readOnly: true });
  try {
    const rows = database
      .prepare(
        `SELECT e.id AS id, e.status AS status, d.data AS data FROM execution_entity e
          JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC`,
      )
      .all(TRIGGER_WORKFLOW_ID) as { id: number; status: string; data: string }[];
    return rows.map((row) => {
      const runData = flatted.parse(row.data).resultData.runData as Record<
        string,
        { data?: { main?: { json?: Record<string, unknown> }[][] } }[]
      >;
      const item = runData["Open ticket"]?.at(-1)?.data?.main?.[0]?.[0]?.json ?? null;
      return { id: Number(row.id), status: row.status, nodes: Object.keys(runData), item };
    });
  } finally {
    database.close();
  }
}

/** Returns the number of failed checks (0: pass). Logs `[trigger] …` lines that real-n8n.test.ts reads. */
export async function runTriggerScenario({
  base,
  home,
  cacheDir,
  countersign,
  log,
  until,
}: Run): Promise<number> {
  const admin = { authorization: `Bearer ${countersign.adminKey}` };
  const endpoint = await until("n8n to register the trigger's webhook endpoint", 60_000, async () => {
    const listed = (await (
      await fetch(`${countersign.url}/v1/webhook-endpoints`, { headers: admin })
    ).json()) as {
      data: { endpoint_id: string; url: string; events: string[]; status: string }[];
    };
    return listed.data.find((entry) => entry.url.startsWith(`${base}/webhook/`));
  });
  log(
    `[trigger] n8n registered endpoint ${endpoint.endpoint_id} for ${endpoint.url} (${endpoint.events.join(", ")})`,
  );

  const body = JSON.stringify({
    type: "pause.decided",
    timestamp: new Date().toISOString(),
    data: { pause: { pause_id: "pau_forged", status: "rejected" }, proof: null, receipt: null },
  });
  const headers = await signWebhook({
    id: "msg_forged",
    timestamp: Math.floor(Date.now() / 1000),
    body,
    secret: generateWebhookSecret(),
  });
  // The approval scenarios' refund pauses may have started this workflow already: count what the forgery adds.
  const beforeForged = triggerExecutions(home, cacheDir).length;
  const forged = await fetch(endpoint.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const afterForged = triggerExecutions(home, cacheDir).length - beforeForged;
  log(`[trigger] forged delivery answered ${forged.status}; executions started: ${afterForged}`);

  const opened = await fetch(`${countersign.url}/v1/pauses`, {
    method: "POST",
    headers: { authorization: `Bearer ${countersign.agentKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      agent_id: "support-bot",
      action: { type: "refund", title: "Refund order #2001", data: { amount: 640, currency: "USD" } },
    }),
  });
  const pauseId = String(((await opened.json()) as { pause_id: string }).pause_id);
  await countersign.reject(pauseId, "Refunds over 500 need a manager");
  const execution = await until("the trigger workflow to run", 60_000, () =>
    triggerExecutions(home, cacheDir).find(
      (entry) => entry.item?.pause_id === pauseId && entry.status !== "running",
    ),
  );
  log(
    `[trigger] execution ${execution.id} ${execution.status}; nodes that ran: ${execution.nodes.join(", ")}; ` +
      `ticket ${JSON.stringify(execution.item)}`,
  );
  const ok =
    forged.status === 401 &&
    afterForged === 0 &&
    execution.status === "success" &&
    execution.item?.outcome === "rejected" &&
    execution.item?.reason === "Refunds over 500 need a manager";
  log(ok ? '[trigger] ok: "Open ticket" ran with the rejected refund' : "[trigger] FAILED");
  return ok ? 0 : 1;
}
