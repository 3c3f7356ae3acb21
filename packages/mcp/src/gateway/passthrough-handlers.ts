import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { GatewayRuntime } from "./gateway-runtime.ts";
import { listAll } from "./list-all.ts";
import { maskAndRecord } from "./mask-and-record.ts";
import { exposedName } from "./mounts.ts";

/**
 * Resources, prompts, completions and log levels: passed to the upstream that
 * owns them (by prefix or URI), with resource and prompt contents masked.
 * Registered only for what some upstream offers.
 */
export function registerPassthrough(
  server: Server,
  runtime: GatewayRuntime,
  sessionOf: (extra: { sessionId?: string | undefined }) => string,
): void {
  const { mounts } = runtime;
  if (runtime.capabilities.resources) {
    const withResources = () => mounts.upstreams.filter((upstream) => upstream.capabilities.resources);
    const owner = (uri: string) => {
      const upstream = mounts.resolveUri(uri);
      if (!upstream) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
      return upstream;
    };
    server.setRequestHandler(ListResourcesRequestSchema, async () => {
      const resources = [];
      for (const upstream of withResources()) {
        const listed = await listAll(
          (cursor) => upstream.client.listResources(cursor),
          (page) => page.resources,
        );
        mounts.rememberResources(
          upstream,
          listed.map((resource) => resource.uri),
        );
        resources.push(...listed);
      }
      return { resources };
    });
    server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => {
      const resourceTemplates = [];
      for (const upstream of withResources()) {
        const listed = await listAll(
          (cursor) => upstream.client.listResourceTemplates(cursor),
          (page) => page.resourceTemplates,
        );
        mounts.rememberTemplates(
          upstream,
          listed.map((template) => template.uriTemplate),
        );
        resourceTemplates.push(...listed);
      }
      return { resourceTemplates };
    });
    server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
      const upstream = owner(request.params.uri);
      const result = await upstream.client.readResource(request.params, { signal: extra.signal });
      return maskAndRecord(runtime, result, { server: upstream.name }, sessionOf(extra), null);
    });
    if (runtime.capabilities.resources.subscribe) {
      server.setRequestHandler(SubscribeRequestSchema, (request) =>
        owner(request.params.uri).client.subscribeResource(request.params),
      );
      server.setRequestHandler(UnsubscribeRequestSchema, (request) =>
        owner(request.params.uri).client.unsubscribeResource(request.params),
      );
    }
  }

  if (runtime.capabilities.prompts) {
    server.setRequestHandler(ListPromptsRequestSchema, async () => {
      const prompts = [];
      for (const upstream of mounts.upstreams) {
        if (!upstream.capabilities.prompts) continue;
        for (const prompt of await listAll(
          (cursor) => upstream.client.listPrompts(cursor),
          (page) => page.prompts,
        )) {
          prompts.push({ ...prompt, name: exposedName(upstream, prompt.name) });
        }
      }
      return { prompts };
    });
    server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
      const route = mounts.resolveName(request.params.name);
      if (!route?.upstream.capabilities.prompts)
        throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      const result = await route.upstream.client.getPrompt(
        { ...request.params, name: route.name },
        { signal: extra.signal },
      );
      return maskAndRecord(runtime, result, { server: route.upstream.name }, sessionOf(extra), null);
    });
  }

  if (runtime.capabilities.completions) {
    server.setRequestHandler(CompleteRequestSchema, async (request) => {
      const { ref } = request.params;
      if (ref.type === "ref/prompt") {
        const route = mounts.resolveName(ref.name);
        if (!route) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
        return route.upstream.client.complete({ ...request.params, ref: { ...ref, name: route.name } });
      }
      const upstream = mounts.resolveUri(ref.uri);
      if (!upstream) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${ref.uri}`);
      return upstream.client.complete(request.params);
    });
  }

  if (runtime.capabilities.logging) {
    server.setRequestHandler(SetLevelRequestSchema, async (request) => {
      await Promise.all(
        mounts.upstreams
          .filter((upstream) => upstream.capabilities.logging)
          .map((upstream) => upstream.client.setLoggingLevel(request.params.level)),
      );
      return {};
    });
  }
}
