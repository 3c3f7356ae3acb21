import type { LookupAddress } from "node:dns";
import { lookup as dnsLookup } from "node:dns";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { CountersignError } from "@countersign/core";
import { classifyAddress } from "@countersign/core/server";

/** Longer than any push service's endpoint (FCM's are ~200 characters). */
export const MAX_ENDPOINT_LENGTH = 2048;

export interface EndpointPolicy {
  /**
   * Also accept `http:` endpoints on loopback addresses (a local push
   * service in tests or development). Never in production: off by default.
   */
  allowLoopback: boolean;
}

/**
 * Checks a push endpoint the browser supplied before it is stored or
 * called: an absolute `https:` URL with no credentials, whose host is a name
 * or a public address. With `allowLoopback`, also `http:` or `https:` on
 * `localhost` or a loopback address, and nothing else private. Throws
 * `invalid_request` naming the `endpoint` field.
 */
export function checkPushEndpoint(endpoint: string, policy: EndpointPolicy): URL {
  const refuse = (why: string) =>
    new CountersignError("invalid_request", `endpoint: ${why}`, {
      errors: [{ path: "endpoint", message: why }],
    });
  if (endpoint.length > MAX_ENDPOINT_LENGTH)
    throw refuse(`must be at most ${MAX_ENDPOINT_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw refuse("is not an absolute URL");
  }
  if (url.username !== "" || url.password !== "") throw refuse("may not carry a user name or password");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const loopback = isLoopbackHost(host);
  if (loopback && !policy.allowLoopback)
    throw refuse("points at this machine (loopback); push services are on the internet");
  if (url.protocol !== "https:" && !(loopback && url.protocol === "http:"))
    throw refuse("must be an https URL of a push service");
  if (!loopback && isIP(host) !== 0 && classifyAddress(host) !== "public") {
    throw refuse(`points at a ${classifyAddress(host)} address; push services are on the internet`);
  }
  return url;
}

function isLoopbackHost(host: string): boolean {
  const lower = host.toLowerCase();
  if (lower === "localhost" || lower.endsWith(".localhost")) return true;
  return isIP(host) !== 0 && classifyAddress(host) === "loopback";
}

/**
 * A `lookup` for the push request's socket that refuses a name resolving
 * to any address that is not public (loopback too, with `allowLoopback`).
 * The check runs on the addresses the socket then connects to, so a name
 * that resolves elsewhere at connect time (DNS rebinding) is still refused.
 */
export function pushLookup(policy: EndpointPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const refused = addresses.find((entry) => !allowedAddress(entry.address, policy));
      if (refused || addresses.length === 0) {
        const kind = refused ? classifyAddress(refused.address) : "no";
        const failure = Object.assign(
          new Error(`Refusing to send a push to ${hostname}: it resolves to a ${kind} address`),
          { code: "EADDRNOTAVAIL" },
        );
        return callback(failure, "", 0);
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function allowedAddress(address: string, policy: EndpointPolicy): boolean {
  const kind = classifyAddress(address);
  return kind === "public" || (policy.allowLoopback && kind === "loopback");
}
