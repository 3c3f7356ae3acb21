import { UriTemplate } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import type { Upstream } from "./upstream.ts";

export const PREFIX_SEPARATOR = "__";

/** The name a client sees for an upstream's tool or prompt. */
export function exposedName(upstream: Pick<Upstream, "prefix">, name: string): string {
  return upstream.prefix ? `${upstream.prefix}${PREFIX_SEPARATOR}${name}` : name;
}

export interface Mounts {
  upstreams: readonly Upstream[];
  /** The upstream and its own name for a name the client used; null when no mount claims it. */
  resolveName(name: string): { upstream: Upstream; name: string } | null;
  /** The upstream that listed this resource URI, or whose template matches it. */
  resolveUri(uri: string): Upstream | null;
  /** Remembers which upstream listed which resources and templates. */
  rememberResources(upstream: Upstream, uris: string[]): void;
  rememberTemplates(upstream: Upstream, templates: string[]): void;
}

/** Routes names by prefix (an unprefixed upstream takes the rest) and resource URIs by who listed them. */
export function createMounts(upstreams: readonly Upstream[]): Mounts {
  const prefixed = upstreams.filter((upstream) => upstream.prefix !== "");
  const unprefixed = upstreams.find((upstream) => upstream.prefix === "");
  const resourceOwners = new Map<string, Upstream>();
  const templates = new Map<Upstream, UriTemplate[]>();
  return {
    upstreams,
    resolveName(name) {
      for (const upstream of prefixed) {
        const head = `${upstream.prefix}${PREFIX_SEPARATOR}`;
        if (name.startsWith(head) && name.length > head.length)
          return { upstream, name: name.slice(head.length) };
      }
      return unprefixed ? { upstream: unprefixed, name } : null;
    },
    resolveUri(uri) {
      const listed = resourceOwners.get(uri);
      if (listed) return listed;
      for (const [upstream, list] of templates) {
        if (list.some((template) => template.match(uri) !== null)) return upstream;
      }
      const withResources = upstreams.filter((upstream) => upstream.capabilities.resources);
      // With one resource server there is no doubt; with several, an unknown URI is not guessed.
      return withResources.length === 1 ? withResources[0]! : null;
    },
    rememberResources(upstream, uris) {
      for (const uri of uris) resourceOwners.set(uri, upstream);
    },
    rememberTemplates(upstream, list) {
      const parsed: UriTemplate[] = [];
      for (const template of list) {
        try {
          parsed.push(new UriTemplate(template));
        } catch {
          // A template the SDK cannot parse is simply not routable by pattern.
        }
      }
      templates.set(upstream, parsed);
    },
  };
}
