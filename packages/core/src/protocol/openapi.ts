import { z } from "zod";
import "./index.ts";

const identity = { name: "identity", in: "path" as const, schema: { type: "string" } };

type Operation = {
  summary: string;
  security?: { role: string };
  body?: string;
  responses: Record<string, string | null>;
  parameters?: { name: string; in: "path" | "query" | "header"; schema: object; description?: string }[];
};

const pauseId = { name: "pause_id", in: "path" as const, schema: { type: "string" } };
const problem = "Problem";

const PATHS: Record<string, Record<string, Operation>> = {
  "/v1/pauses": {
    post: {
      summary: "Open a pause",
      security: { role: "agent" },
      body: "PauseRequest",
      parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string", maxLength: 255 } }],
      responses: {
        "202": "Pause",
        "200": "Pause",
        "400": problem,
        "401": problem,
        "409": problem,
        "413": problem,
      },
    },
    get: {
      summary: "List pauses, newest first",
      security: { role: "agent|approver|admin" },
      parameters: [
        { name: "status", in: "query", schema: { $ref: "#/components/schemas/PauseStatus" } },
        { name: "agent_id", in: "query", schema: { type: "string" } },
        { name: "action_type", in: "query", schema: { type: "string" } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
        { name: "cursor", in: "query", schema: { type: "string" } },
      ],
      responses: { "200": "PauseList", "400": problem, "401": problem },
    },
  },
  "/v1/pauses/{pause_id}": {
    get: {
      summary: "Get a pause; `wait` long-polls until it is decided",
      security: { role: "agent|approver|admin" },
      parameters: [
        pauseId,
        { name: "wait", in: "query", schema: { type: "integer", minimum: 0, maximum: 60 } },
      ],
      responses: { "200": "Pause", "401": problem, "404": problem },
    },
  },
  "/v1/pauses/{pause_id}/events": {
    get: {
      summary: "Server-Sent Events: `status` on every change, then `decided`",
      security: { role: "agent|approver|admin" },
      parameters: [pauseId],
      responses: { "200": null, "401": problem, "404": problem },
    },
  },
  "/v1/pauses/{pause_id}/decision": {
    post: {
      summary: "Approve, reject, or approve with edited arguments",
      security: { role: "approver|admin" },
      parameters: [pauseId],
      body: "DecisionRequest",
      responses: { "200": "Pause", "400": problem, "403": problem, "404": problem, "409": problem },
    },
  },
  "/v1/pauses/{pause_id}/claim": {
    post: {
      summary: "Claim an approved pause for execution, once",
      security: { role: "agent" },
      parameters: [pauseId],
      body: "ClaimRequest",
      responses: { "200": "Claim", "404": problem, "409": problem },
    },
  },
  "/v1/pauses/{pause_id}/cancel": {
    post: {
      summary: "Cancel a pending pause",
      security: { role: "agent" },
      parameters: [pauseId],
      body: "CancelRequest",
      responses: { "200": "Pause", "404": problem, "409": problem },
    },
  },
  "/v1/audit": {
    get: {
      summary: "Audit events in chain order",
      security: { role: "admin" },
      responses: { "200": "AuditList", "401": problem, "403": problem },
    },
  },
  "/v1/audit/checkpoint": {
    get: {
      summary: "A fresh Ed25519-signed checkpoint of the audit log (size, head hash, time)",
      security: { role: "admin" },
      responses: { "200": "AuditCheckpoint", "401": problem, "403": problem },
    },
  },
  "/v1/pauses/{pause_id}/evidence": {
    get: {
      summary: "Evidence bundle: the pause, its proof, its audit chain and a signed checkpoint",
      security: { role: "admin" },
      parameters: [pauseId],
      responses: { "200": null, "401": problem, "403": problem, "404": problem },
    },
  },
  "/v1/identities": {
    get: {
      summary: "Approver identities",
      security: { role: "admin" },
      responses: { "200": "IdentityList", "401": problem, "403": problem },
    },
  },
  "/v1/identities/{identity}": {
    get: {
      summary: "One approver identity",
      security: { role: "admin" },
      parameters: [identity],
      responses: { "200": "Identity", "401": problem, "403": problem, "404": problem },
    },
    put: {
      summary: "Create or replace an approver identity (e-mail, Slack user, name, groups)",
      security: { role: "admin" },
      parameters: [identity],
      body: "IdentityInput",
      responses: { "200": "Identity", "201": "Identity", "400": problem, "401": problem, "403": problem },
    },
    delete: {
      summary: "Remove an approver identity",
      security: { role: "admin" },
      parameters: [identity],
      responses: { "204": null, "401": problem, "403": problem, "404": problem },
    },
  },
  "/v1/keys": {
    get: { summary: "Public Ed25519 keys for proof verification", responses: { "200": "JwkSet" } },
  },
  "/healthz": { get: { summary: "Liveness", responses: { "200": null } } },
  "/readyz": {
    get: {
      summary: "Readiness: 503 when the store is unavailable",
      responses: { "200": null, "503": problem },
    },
  },
};

/** The OpenAPI 3.1 document, generated from the zod schemas (the single source of truth). */
export function openApiDocument(version: string): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  for (const schema of Object.values(schemas)) delete schema.$schema;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, operations] of Object.entries(PATHS)) {
    paths[path] = {};
    for (const [method, operation] of Object.entries(operations))
      paths[path][method] = renderOperation(operation);
  }
  return {
    openapi: "3.1.0",
    info: { title: "Countersign API", version, description: "Human sign-off for AI agent actions." },
    paths,
    components: {
      schemas,
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "API key: csk_<role>_…" } },
    },
  };
}

function renderOperation(operation: Operation): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(operation.responses)) {
    const type = schema === problem ? "application/problem+json" : "application/json";
    responses[status] = {
      description: schema ?? "OK",
      ...(schema && { content: { [type]: { schema: { $ref: `#/components/schemas/${schema}` } } } }),
    };
  }
  return {
    summary: operation.summary,
    ...(operation.security && { security: [{ apiKey: [] }], "x-countersign-role": operation.security.role }),
    ...(operation.parameters && { parameters: operation.parameters }),
    ...(operation.body && {
      requestBody: {
        required:
          operation.body === "PauseRequest" ||
          operation.body === "DecisionRequest" ||
          operation.body === "IdentityInput",
        content: { "application/json": { schema: { $ref: `#/components/schemas/${operation.body}` } } },
      },
    }),
    responses,
  };
}
