import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ICredentialDataDecryptedObject, INode, INodeExecutionData, INodeType } from "n8n-workflow";
import {
  createExecuteContext,
  createWebhookContext,
  type LoggedLine,
  recordedResponse,
  type WebhookRequest,
} from "./execution-contexts.ts";
import type { StoredRunData } from "./execution-custom-data.ts";

// A stand-in for the parts of n8n a waiting node meets: an execution store
// (run data saved as JSON when the execution goes to wait, loaded again for
// the resume webhook, as n8n's database does) and the `/webhook-waiting/:id`
// route with n8n's rules: the resume token in `?signature=`, 409 once the
// execution is no longer waiting, the execution left waiting when the node's
// webhook returns no `workflowData`, and all outputs forwarded when it does.

export interface SimulatedExecution {
  executionId: string;
  status: "waiting" | "success" | "error";
  resumeUrl: string;
  waitTill: string | null;
  outputs: INodeExecutionData[][] | null;
  error: Error | null;
  log: LoggedLine[];
  /** The run data as n8n persisted it when the execution went to wait. */
  stored: string;
}

export interface WebhookCall {
  executionId: string;
  status: number;
  body: unknown;
  held: boolean;
}

export interface RunOptions {
  node: INode;
  credentials: ICredentialDataDecryptedObject;
  items: INodeExecutionData[];
  runIndex?: number;
  /** Custom data already set by earlier nodes of the execution. */
  customData?: Record<string, string>;
}

export interface SimulatedN8n {
  url: string;
  run(options: RunOptions): Promise<SimulatedExecution>;
  execution(executionId: string): SimulatedExecution;
  /** Resolves once the execution is no longer waiting. */
  finished(executionId: string, timeoutMs?: number): Promise<SimulatedExecution>;
  /** Every call to the waiting-webhook route, in order. */
  calls: WebhookCall[];
  /** While set, matching deliveries are recorded and answered 503 without reaching the node. */
  hold: ((request: WebhookRequest) => boolean) | null;
  held: WebhookRequest[];
  close(): Promise<void>;
}

interface StoredExecution extends SimulatedExecution {
  node: INode;
  credentials: ICredentialDataDecryptedObject;
  resumeToken: string;
  waiters: (() => void)[];
}

export async function startSimulatedN8n(nodeType: INodeType): Promise<SimulatedN8n> {
  const executions = new Map<string, StoredExecution>();
  let nextId = 100;
  const instanceId = randomBytes(8).toString("hex");

  const simulated: SimulatedN8n = {
    url: "",
    calls: [],
    hold: null,
    held: [],
    run,
    execution: (executionId) => {
      const execution = executions.get(executionId);
      if (!execution) throw new Error(`no execution ${executionId}`);
      return execution;
    },
    finished,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function run(options: RunOptions): Promise<SimulatedExecution> {
    const executionId = String(nextId++);
    const resumeToken = randomBytes(16).toString("hex");
    const execution: StoredExecution = {
      executionId,
      status: "waiting",
      resumeUrl: `${simulated.url}/webhook-waiting/${executionId}?signature=${resumeToken}`,
      waitTill: null,
      outputs: null,
      error: null,
      log: [],
      stored: "",
      node: options.node,
      credentials: options.credentials,
      resumeToken,
      waiters: [],
    };
    executions.set(executionId, execution);
    const runData: StoredRunData = { resultData: { metadata: { ...options.customData } } };
    const context = createExecuteContext({
      node: options.node,
      credentials: options.credentials,
      executionId,
      workflowId: "wf_refunds",
      runData,
      log: execution.log,
      items: options.items,
      runIndex: options.runIndex ?? 0,
      instanceId,
      resumeUrl: execution.resumeUrl,
    });
    try {
      const outputs = (await nodeType.execute!.call(context)) as INodeExecutionData[][];
      if (runData.waitTill) {
        execution.waitTill = runData.waitTill;
        execution.stored = JSON.stringify(runData);
      } else {
        settle(execution, "success", outputs, null);
      }
    } catch (error) {
      settle(execution, "error", null, error as Error);
    }
    return execution;
  }

  function settle(
    execution: StoredExecution,
    status: "success" | "error",
    outputs: INodeExecutionData[][] | null,
    error: Error | null,
  ) {
    execution.status = status;
    execution.outputs = outputs;
    execution.error = error;
    for (const wake of execution.waiters.splice(0)) wake();
  }

  function finished(executionId: string, timeoutMs = 10_000): Promise<SimulatedExecution> {
    const execution = simulated.execution(executionId) as StoredExecution;
    if (execution.status !== "waiting") return Promise.resolve(execution);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`execution ${executionId} still waiting after ${timeoutMs} ms`)),
        timeoutMs,
      );
      execution.waiters.push(() => {
        clearTimeout(timer);
        resolve(execution);
      });
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", simulated.url);
    const match = /^\/webhook-waiting\/([^/]+)$/.exec(url.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const reply = (executionId: string, status: number, body: unknown, held = false) => {
      simulated.calls.push({ executionId, status, body, held });
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (!match || request.method !== "POST") return reply("", 404, { message: "not found" });
    const executionId = match[1]!;
    const execution = executions.get(executionId);
    if (!execution)
      return reply(executionId, 404, { message: `The execution "${executionId}" does not exist.` });
    if (url.searchParams.get("signature") !== execution.resumeToken) {
      return reply(executionId, 401, { error: "Invalid token" });
    }
    if (execution.status !== "waiting") {
      return reply(executionId, 409, { message: `The execution "${executionId} has finished already.` });
    }
    const isJson = (request.headers["content-type"] ?? "").startsWith("application/json");
    const webhookRequest: WebhookRequest = {
      method: "POST",
      headers: request.headers,
      rawBody,
      body: isJson && rawBody.length > 0 ? JSON.parse(rawBody.toString("utf8")) : {},
      query: Object.fromEntries(url.searchParams),
    };
    if (simulated.hold?.(webhookRequest)) {
      simulated.held.push(webhookRequest);
      return reply(executionId, 503, { message: "held by the test" }, true);
    }
    // Loaded from the "database": the resume webhook sees only what was persisted.
    const runData = JSON.parse(execution.stored) as StoredRunData;
    const recorded = recordedResponse();
    const context = createWebhookContext({
      node: execution.node,
      credentials: execution.credentials,
      executionId,
      workflowId: "wf_refunds",
      runData,
      log: execution.log,
      request: webhookRequest,
      response: recorded,
    });
    let result: Awaited<ReturnType<NonNullable<INodeType["webhook"]>>>;
    try {
      result = await nodeType.webhook!.call(context);
    } catch (error) {
      // n8n resumes the execution with the error: the node must never let this happen.
      settle(execution, "error", null, error as Error);
      return reply(executionId, 500, { message: "Workflow Webhook Error: Workflow could not be started!" });
    }
    if (result.workflowData === undefined) {
      // n8n answers and leaves the stored execution as it was: still waiting.
      if (result.noWebhookResponse) return reply(executionId, recorded.statusCode ?? 200, recorded.body);
      return reply(executionId, 200, result.webhookResponse ?? { message: "Webhook call received" });
    }
    settle(execution, "success", result.workflowData, null);
    return reply(executionId, 200, result.webhookResponse ?? { message: "Workflow was started" });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  simulated.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return simulated;
}
