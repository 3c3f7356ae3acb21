import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { CountersignError } from "../../errors/countersign-error.ts";
import { privateTargetError } from "../../webhooks/address-guard.ts";

const LOOKUP_TIMEOUT_MS = 2_000;

/**
 * The SSRF guard at registration: refuses a URL whose host is, or resolves
 * to, a private, loopback or link-local address (unless private targets are
 * allowed), so an admin learns at once. Every attempt is checked again when it
 * connects (DNS can change); a host that does not resolve yet is accepted.
 */
export async function assertPublicEndpointUrl(url: string, allowPrivateTargets: boolean): Promise<void> {
  if (allowPrivateTargets) return;
  const hostname = new URL(url).hostname.replace(/^\[(.*)\]$/, "$1");
  const addresses = isIP(hostname) !== 0 ? [hostname] : await resolve(hostname);
  for (const address of addresses) {
    const refused = privateTargetError(hostname, address);
    if (refused) {
      throw new CountersignError("invalid_request", `url: ${refused.message}`, {
        errors: [
          { path: "url", message: `${hostname} is a private address; webhooks go to public hosts only` },
        ],
      });
    }
  }
}

async function resolve(hostname: string): Promise<string[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string[]>((done) => {
    timer = setTimeout(() => done([]), LOOKUP_TIMEOUT_MS);
  });
  try {
    const found = lookup(hostname, { all: true }).then(
      (entries) => entries.map((entry) => entry.address),
      () => [],
    );
    return await Promise.race([found, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
