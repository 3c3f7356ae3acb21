/** A request as the middleware sees it, the same for every framework. */
export interface EnforcedRequest<Raw = unknown> {
  method: string;
  /** The path without the query string, e.g. `/payments`. */
  path: string;
  headers: Headers;
  /** The parsed JSON body (`undefined` when there is none). */
  body: unknown;
  /** Route parameters, when the framework has them (`/payments/:id`). */
  params: Record<string, string>;
  /** The framework's own request (Hono's context, Express's or Fastify's request, or a `Request`). */
  raw: Raw;
}

/** Header values as Node frameworks give them. */
export type NodeHeaders = Record<string, string | string[] | undefined>;

/** Builds `Headers` from a Node-style header record (Express, Fastify). */
export function toHeaders(input: NodeHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}
