import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  ICredentialDataDecryptedObject,
  IDataObject,
  IHookFunctions,
  INode,
  INodeExecutionData,
  INodeType,
  IWebhookFunctions,
} from "n8n-workflow";
import { type LoggedLine, logger, parameterOf, recordedResponse, strict } from "./execution-contexts.ts";
import { n8nHttpRequest } from "./n8n-http-request.ts";

// A stand-in for what n8n does with a webhook trigger node: on activation it
// calls `checkExists` and, when that is false, `create`; on deactivation
// `delete`; the node's static data is saved as JSON between calls (as n8n's
// database keeps it); and `POST /webhook/<id>/webhook` runs the node's
// `webhook()`, starting an execution when it returns `workflowData`.

export interface TriggerCall {
  status: number;
  body: unknown;
  /** The items the workflow was started with, or null when none started. */
  started: INodeExecutionData[][] | null;
}

export interface SimulatedTrigger {
  /** The node's production webhook URL. */
  webhookUrl: string;
  activate(): Promise<void>;
  deactivate(): Promise<void>;
  /** The node's static data as n8n has it stored now. */
  staticData(): IDataObject;
  calls: TriggerCall[];
  /** Executions started, oldest first: each the node's output. */
  executions: INodeExecutionData[][][];
  log: LoggedLine[];
  close(): Promise<void>;
}

export async function startSimulatedTrigger(
  nodeType: INodeType,
  options: { node: INode; credentials: ICredentialDataDecryptedObject; workflowId?: string },
): Promise<SimulatedTrigger> {
  const credentialType = nodeType.description.credentials?.[0]?.name ?? "";
  let stored = "{}";
  const log: LoggedLine[] = [];
  const calls: TriggerCall[] = [];
  const executions: INodeExecutionData[][][] = [];
  const workflow = { id: options.workflowId ?? "wf-trigger-1", name: "On Countersign events", active: true };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webhookUrl = `${base}/webhook/${options.node.webhookId ?? options.node.id}/webhook`;

  const getCredentials = async <T extends object>(type: string) => {
    if (type !== credentialType) throw new Error(`Node does not have credentials of type ${type}`);
    return options.credentials as T;
  };

  /** Runs `work` with the static data loaded, and saves it afterwards, as n8n does around each call. */
  async function withStaticData<T>(work: (data: IDataObject) => Promise<T>): Promise<T> {
    const data = JSON.parse(stored) as IDataObject;
    try {
      return await work(data);
    } finally {
      stored = JSON.stringify(data);
    }
  }

  function hookContext(data: IDataObject): IHookFunctions {
    const implemented = {
      logger: logger(log),
      getNode: () => structuredClone(options.node),
      getNodeParameter: ((name: string, fallback?: unknown) =>
        parameterOf(options.node, name, fallback)) as IHookFunctions["getNodeParameter"],
      getCredentials,
      getNodeWebhookUrl: (name: string) => (name === "default" ? webhookUrl : undefined),
      getWorkflowStaticData: (type: string) => {
        if (type !== "node") throw new Error(`The harness keeps only node static data, not ${type}`);
        return data;
      },
      getWorkflow: () => workflow,
      helpers: { httpRequest: n8nHttpRequest as IHookFunctions["helpers"]["httpRequest"] },
    } satisfies Pick<
      IHookFunctions,
      | "logger"
      | "getNode"
      | "getNodeParameter"
      | "getCredentials"
      | "getNodeWebhookUrl"
      | "getWorkflowStaticData"
      | "getWorkflow"
    > & { helpers: Pick<IHookFunctions["helpers"], "httpRequest"> };
    return strict(implemented, "hook context") as unknown as IHookFunctions;
  }

  const methods = () => {
    const hooks = nodeType.webhookMethods?.default;
    if (!hooks?.checkExists || !hooks.create || !hooks.delete) throw new Error("not a webhook trigger");
    return hooks as Required<typeof hooks>;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== "POST" || request.url?.split("?")[0] !== new URL(webhookUrl).pathname) {
      response.writeHead(404).end();
      return;
    }
    const rawBody = Buffer.concat(chunks);
    let body: IDataObject = {};
    try {
      body = JSON.parse(rawBody.toString("utf8")) as IDataObject;
    } catch {}
    const recorded = recordedResponse();
    const expressRequest = { method: "POST", headers: request.headers, rawBody, body, query: {} };
    const result = await withStaticData(async (data) => {
      const implemented = {
        logger: logger(log),
        getNode: () => structuredClone(options.node),
        getNodeParameter: ((name: string, fallback?: unknown) =>
          parameterOf(options.node, name, fallback)) as IWebhookFunctions["getNodeParameter"],
        getCredentials,
        getWorkflowStaticData: () => data,
        getBodyData: () => body,
        getHeaderData: () => request.headers as ReturnType<IWebhookFunctions["getHeaderData"]>,
        getRequestObject: () =>
          expressRequest as unknown as ReturnType<IWebhookFunctions["getRequestObject"]>,
        getResponseObject: () => recorded as unknown as ReturnType<IWebhookFunctions["getResponseObject"]>,
        getWebhookName: () => "default",
      } satisfies Pick<
        IWebhookFunctions,
        | "logger"
        | "getNode"
        | "getNodeParameter"
        | "getCredentials"
        | "getWorkflowStaticData"
        | "getBodyData"
        | "getHeaderData"
        | "getRequestObject"
        | "getResponseObject"
        | "getWebhookName"
      >;
      const context = strict(implemented, "webhook context") as unknown as IWebhookFunctions;
      return nodeType.webhook!.call(context);
    });
    const started = result.workflowData ?? null;
    if (started) executions.push(started);
    // onReceived: n8n answers 200 itself unless the node answered (noWebhookResponse).
    const status = result.noWebhookResponse ? (recorded.statusCode ?? 200) : 200;
    const answer = result.noWebhookResponse
      ? recorded.body
      : (result.webhookResponse ?? { message: "Workflow was started" });
    calls.push({ status, body: answer, started });
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer ?? {}));
  }

  return {
    webhookUrl,
    async activate() {
      await withStaticData(async (data) => {
        const exists = await methods().checkExists.call(hookContext(data));
        if (!exists) await methods().create.call(hookContext(data));
      });
    },
    async deactivate() {
      await withStaticData((data) => methods().delete.call(hookContext(data)));
    },
    staticData: () => JSON.parse(stored) as IDataObject,
    calls,
    executions,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
