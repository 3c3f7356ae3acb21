import type { Context } from "hono";
import type { z } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** Who may call a route: documented as its OpenAPI security, enforced by its family's authenticator. */
export type RouteSecurity =
  /** `Authorization: Bearer <API key>` with one of these roles. */
  | { kind: "apiKey"; roles: readonly string[] }
  /** The inbox's session cookie (with its CSRF header when the route changes something). */
  | { kind: "session"; roles?: readonly string[]; changes?: boolean }
  /** A credential the route checks itself: a Slack or Teams signature, an e-mail link token. */
  | { kind: "signed"; description: string }
  | { kind: "public" };

export interface ResponseSpec {
  description: string;
  /** Documented as `$ref` when registered with an id, inline otherwise. */
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
}

export interface BodySpec<Schema extends z.ZodType> {
  schema: Schema;
  required: boolean;
  /** Default `application/json`. Any other body is read by the handler itself. */
  contentType?: string;
  /** Shown in the OpenAPI document (e.g. the seed request). */
  example?: unknown;
}

type Output<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

/** What a handler gets: every part of the request already authenticated and parsed with its schema. */
export interface RouteInput<Auth, Params, Query, Headers, Body> {
  auth: Auth;
  params: Params;
  query: Query;
  headers: Headers;
  body: Body;
  request: Request;
  /** The Hono context, for streaming responses. */
  c: Context;
}

/**
 * One HTTP operation, declared once: the Hono registration, the role check,
 * request parsing and the OpenAPI operation are all generated from this.
 */
export interface Route<Auth = unknown> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI form: `/v1/pauses/{pause_id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  security: RouteSecurity;
  params?: z.ZodType;
  query?: z.ZodType;
  headers?: z.ZodType;
  body?: BodySpec<z.ZodType>;
  /** Success responses by status. */
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Statuses answered with problem details (`application/problem+json`). */
  errors: readonly number[];
  /** Whether the route is left out of the OpenAPI document (static pages). */
  hidden?: boolean;
  /**
   * `false`: the schemas only document the request; the handler reads it
   * itself (channels answer with their own pages, not problem details).
   */
  parse?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed parts are typed where the route is defined.
  handle(input: RouteInput<Auth, any, any, any, any>): Response | Promise<Response>;
}

export interface RouteSpec<
  Auth,
  Params extends z.ZodType | undefined,
  Query extends z.ZodType | undefined,
  Headers extends z.ZodType | undefined,
  Body extends z.ZodType | undefined,
> extends Omit<Route<Auth>, "params" | "query" | "headers" | "body" | "handle"> {
  params?: Params;
  query?: Query;
  headers?: Headers;
  body?: Body extends z.ZodType ? BodySpec<Body> : undefined;
  handle(
    input: RouteInput<Auth, Output<Params>, Output<Query>, Output<Headers>, Output<Body>>,
  ): Response | Promise<Response>;
}

/** Declares a route; the handler's input is typed from the schemas. */
export function defineRoute<
  Auth,
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
  Headers extends z.ZodType | undefined = undefined,
  Body extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<Auth, Params, Query, Headers, Body>): Route<Auth> {
  return spec as Route<Auth>;
}

/**
 * A set of routes that authenticate the same way (the API's keys, the
 * inbox's sessions, channels' signatures). `authenticate` checks the
 * route's `security` and throws `unauthorized` or `forbidden`.
 */
export interface RouteFamily<Auth> {
  routes: readonly Route<Auth>[];
  authenticate(route: Route<Auth>, request: Request): Promise<Auth>;
  /** Largest JSON body, in bytes. */
  maxBodyBytes: number;
  /** Who called, for the request's log line (e.g. `{ key_id }`); never a secret. */
  caller?(auth: Auth): Record<string, string> | null;
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
