import type {
  ICredentialDataDecryptedObject,
  IDataObject,
  IExecuteFunctions,
  INode,
  INodeExecutionData,
  IWebhookFunctions,
  Logger,
} from "n8n-workflow";
import { executionCustomData, type StoredRunData } from "./execution-custom-data.ts";
import { n8nHttpRequest } from "./n8n-http-request.ts";

// Execution contexts shaped like n8n-core's ExecuteContext and WebhookContext,
// implementing exactly what a node may call, checked against n8n-workflow's
// real interfaces (`satisfies Pick<…>`). Anything else throws, so a node
// cannot lean on a method the harness only pretends to have.

export interface LoggedLine {
  level: "error" | "warn" | "info" | "debug";
  message: string;
}

export interface ContextBase {
  node: INode;
  credentials: ICredentialDataDecryptedObject;
  executionId: string;
  workflowId: string;
  runData: StoredRunData;
  log: LoggedLine[];
}

export function logger(log: LoggedLine[]): Logger {
  const line = (level: LoggedLine["level"]) => (message: string) => void log.push({ level, message });
  return { error: line("error"), warn: line("warn"), info: line("info"), debug: line("debug") };
}

export function parameterOf(node: INode, name: string, fallback?: unknown): unknown {
  let value: unknown = node.parameters;
  for (const part of name.split(".")) value = (value as IDataObject | undefined)?.[part];
  return value === undefined ? fallback : value;
}

export function strict<T extends object>(implemented: T, what: string): T {
  return new Proxy(implemented, {
    get(target, property, receiver) {
      if (typeof property === "string" && !(property in target) && property !== "then") {
        throw new Error(`The test harness's ${what} does not implement ${property}`);
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

export interface ExecuteContextOptions extends ContextBase {
  items: INodeExecutionData[];
  runIndex: number;
  instanceId: string;
  /** `$execution.resumeUrl`, as n8n-core builds it (with `?signature=<resume token>`). */
  resumeUrl: string;
}

export function createExecuteContext(options: ExecuteContextOptions): IExecuteFunctions {
  const implemented = {
    logger: logger(options.log),
    customData: executionCustomData(options.runData),
    getInputData: () => options.items,
    getNode: () => structuredClone(options.node),
    getNodeParameter: ((name: string, _itemIndex: number, fallback?: unknown) =>
      parameterOf(options.node, name, fallback)) as IExecuteFunctions["getNodeParameter"],
    getCredentials: async <T extends object>(type: string) => {
      if (type !== "countersignApi") throw new Error(`Node does not have credentials of type ${type}`);
      return options.credentials as T;
    },
    evaluateExpression: (expression: string) => {
      const known: Record<string, string | number> = {
        "{{ $execution.resumeUrl }}": options.resumeUrl,
        "{{ $runIndex }}": options.runIndex,
      };
      if (!(expression in known)) throw new Error(`The harness cannot evaluate ${expression}`);
      return known[expression]!;
    },
    getExecutionId: () => options.executionId,
    getInstanceId: () => options.instanceId,
    getWorkflow: () => ({ id: options.workflowId, name: "Refund approval", active: false }),
    putExecutionToWait: async (waitTill: Date) => {
      options.runData.waitTill = waitTill.toISOString();
    },
    continueOnFail: () => false,
    helpers: { httpRequest: n8nHttpRequest as IExecuteFunctions["helpers"]["httpRequest"] },
  } satisfies Pick<
    IExecuteFunctions,
    | "logger"
    | "customData"
    | "getInputData"
    | "getNode"
    | "getNodeParameter"
    | "getCredentials"
    | "evaluateExpression"
    | "getExecutionId"
    | "getInstanceId"
    | "getWorkflow"
    | "putExecutionToWait"
    | "continueOnFail"
  > & { helpers: Pick<IExecuteFunctions["helpers"], "httpRequest"> };
  return strict(implemented, "execute context") as unknown as IExecuteFunctions;
}

/** What n8n's express request carries for a webhook: headers, the parsed body and the raw bytes. */
export interface WebhookRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  body: IDataObject;
  query: Record<string, string>;
}

/** Records what a node writes to n8n's express response. */
export interface RecordedResponse {
  statusCode: number | null;
  body: unknown;
  status(code: number): RecordedResponse;
  json(body: unknown): RecordedResponse;
  send(body: unknown): RecordedResponse;
}

export function recordedResponse(): RecordedResponse {
  const response: RecordedResponse = {
    statusCode: null,
    body: undefined,
    status(code) {
      response.statusCode = code;
      return response;
    },
    json(body) {
      response.body = body;
      response.statusCode ??= 200;
      return response;
    },
    send(body) {
      return response.json(body);
    },
  };
  return response;
}

export interface WebhookContextOptions extends ContextBase {
  request: WebhookRequest;
  response: RecordedResponse;
}

export function createWebhookContext(options: WebhookContextOptions): IWebhookFunctions {
  const implemented = {
    logger: logger(options.log),
    customData: executionCustomData(options.runData),
    getNode: () => structuredClone(options.node),
    getNodeParameter: ((name: string, fallback?: unknown) =>
      parameterOf(options.node, name, fallback)) as IWebhookFunctions["getNodeParameter"],
    getCredentials: async <T extends object>(type: string) => {
      if (type !== "countersignApi") throw new Error(`Node does not have credentials of type ${type}`);
      return options.credentials as T;
    },
    getExecutionId: () => options.executionId,
    getBodyData: () => options.request.body,
    getHeaderData: () => options.request.headers as ReturnType<IWebhookFunctions["getHeaderData"]>,
    getQueryData: () => options.request.query,
    getRequestObject: () => options.request as unknown as ReturnType<IWebhookFunctions["getRequestObject"]>,
    getResponseObject: () =>
      options.response as unknown as ReturnType<IWebhookFunctions["getResponseObject"]>,
    getWebhookName: () => "default",
    helpers: { httpRequest: n8nHttpRequest as IWebhookFunctions["helpers"]["httpRequest"] },
  } satisfies Pick<
    IWebhookFunctions,
    | "logger"
    | "customData"
    | "getNode"
    | "getNodeParameter"
    | "getCredentials"
    | "getExecutionId"
    | "getBodyData"
    | "getHeaderData"
    | "getQueryData"
    | "getRequestObject"
    | "getResponseObject"
    | "getWebhookName"
  > & { helpers: Pick<IWebhookFunctions["helpers"], "httpRequest"> };
  return strict(implemented, "webhook context") as unknown as IWebhookFunctions;
}
