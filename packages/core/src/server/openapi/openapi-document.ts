import { ERROR_TITLES, type ErrorCode } from "../../errors/error-codes.ts";
import { ProblemSchema } from "../../protocol/problem.ts";
import type { Route, RouteSecurity } from "../http/route.ts";
import { componentSchemas, propertiesOf, schemaFor } from "./json-schema.ts";

type Json = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: "The request is malformed; `errors` names each field",
  401: "No API key or session, or it is unknown, expired or revoked",
  403: "Not allowed for this role, identity or agent",
  404: "No such resource",
  409: "The resource is not in a state that allows this",
  413: "The body is too large",
  415: "Unsupported content type",
  422: "The request is well-formed but refused",
  503: "The store is unavailable; nothing was written; retry later",
};

/**
 * The OpenAPI 3.1 document of every route the server serves, generated from
 * the route declarations (paths, roles, parameters, bodies, responses) and
 * the zod schemas (components): nothing is written twice.
 */
export function openApiDocument(
  routes: readonly Route<unknown>[],
  options: { version: string; serverUrl: string },
): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    if (route.hidden) continue;
    paths[route.path] ??= {};
    paths[route.path]![route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Countersign API",
      version: options.version,
      description:
        "Human sign-off for AI agent actions: open a pause, let a person decide, act only with the signed proof.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: options.serverUrl }],
    tags: [...new Set(routes.filter((route) => !route.hidden).flatMap((route) => route.tags))].map(
      (name) => ({
        name,
      }),
    ),
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "An API key, `csk_<role>_…`; each operation names the roles it accepts.",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "countersign_session",
          description: "The inbox's session cookie (`__Host-countersign_session` over HTTPS).",
        },
        csrf: {
          type: "apiKey",
          in: "header",
          name: "X-CSRF-Token",
          description:
            "The session's CSRF token (`GET /inbox/api/session`), on every request that changes something.",
        },
      },
    },
  };
}

function operation(route: Route<unknown>): Json {
  const parameters = [
    ...(route.params
      ? propertiesOf(route.params).map((entry) => ({ ...entry, in: "path", required: true }))
      : []),
    ...(route.query ? propertiesOf(route.query).map((entry) => ({ ...entry, in: "query" })) : []),
    ...(route.headers ? propertiesOf(route.headers).map((entry) => ({ ...entry, in: "header" })) : []),
  ].map(({ name, in: where, required, schema }) => ({
    name,
    in: where,
    required,
    schema,
    ...(typeof schema.description === "string" && { description: schema.description }),
  }));
  const responses: Json = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema && {
        content: {
          [response.contentType ?? "application/json"]: { schema: schemaFor(response.schema, "output") },
        },
      }),
      ...(!response.schema &&
        response.contentType && { content: { [response.contentType]: { schema: { type: "string" } } } }),
    };
  }
  for (const status of route.errors) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? ERROR_TITLES[codeFor(status)] ?? "Error",
      content: { "application/problem+json": { schema: schemaFor(ProblemSchema, "output") } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description && { description: route.description }),
    tags: route.tags,
    ...security(route.security),
    ...(parameters.length > 0 && { parameters }),
    ...(route.body && {
      requestBody: {
        required: route.body.required,
        content: {
          [route.body.contentType ?? "application/json"]: {
            schema: schemaFor(route.body.schema, "input"),
            ...(route.body.example !== undefined && { example: route.body.example }),
          },
        },
      },
    }),
    responses,
  };
}

function security(declared: RouteSecurity): Json {
  switch (declared.kind) {
    case "apiKey":
      return { security: [{ apiKey: [] }], "x-countersign-roles": declared.roles };
    case "session":
      return {
        security: [declared.changes ? { session: [], csrf: [] } : { session: [] }],
        ...(declared.roles && { "x-countersign-roles": declared.roles }),
      };
    case "signed":
      return { security: [], "x-countersign-credential": declared.description };
    case "public":
      return { security: [] };
  }
}

function codeFor(status: number): ErrorCode {
  return ({ 400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found" } as const)[
    status as 400
  ];
}
