import { z } from "zod";
import type { ApprovalService } from "../approval-service.ts";
import type { ChannelPlugin, ChannelRoute } from "../channel-plugin.ts";
import type { Route, RouteFamily } from "../http/route.ts";

const RESERVED = ["/v1/", "/inbox/"];

/** A channel's routes as a route family: each checks its own credential, and all are documented. */
export function channelRouteFamily(
  channel: ChannelPlugin,
  service: ApprovalService,
  maxBodyBytes: number,
): RouteFamily<null> {
  const routes = (channel.routes?.(service) ?? []).map((route) => declared(channel.channel, route));
  return { routes, maxBodyBytes, authenticate: async () => null };
}

function declared(channel: string, route: ChannelRoute): Route<null> {
  if (RESERVED.some((prefix) => route.path.startsWith(prefix))) {
    throw new Error(`a channel may not mount ${route.path}`);
  }
  const method = route.method === "GET" ? "get" : "post";
  return {
    operationId: `${channel}${method === "get" ? "Get" : "Post"}${camel(route.path)}`,
    method,
    path: route.path,
    summary: route.summary ?? `${channel}: ${route.method} ${route.path}`,
    ...(route.description && { description: route.description }),
    tags: [channel],
    security: { kind: "signed", description: route.credential ?? `checked by the ${channel} channel` },
    parse: false,
    ...(route.query && { query: route.query }),
    ...(route.requestContentType && {
      body: {
        schema:
          route.requestContentType === "application/json"
            ? z.record(z.string(), z.unknown()).describe("The sender's payload, read by the channel.")
            : z.string().describe("The sender's payload, read by the channel."),
        required: true,
        contentType: route.requestContentType,
      },
    }),
    responses: {
      200: { description: "Handled", contentType: route.responseContentType ?? "application/json" },
    },
    errors: [],
    handle: ({ request }) => route.handler(request),
  };
}

function camel(path: string): string {
  return path
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
