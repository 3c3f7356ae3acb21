import { CountersignError, createClient, type FetchFunction, JwkSetSchema } from "@countersign/core";
import { pinnedKeys, readJwks, serverKeys, type TrustedKeys } from "./trusted-keys.ts";

export interface CountersignSettingsInput {
  /** `--countersign-url`, else the config's `countersign.url`, else `COUNTERSIGN_URL`. */
  url?: string | undefined;
  /** `--jwks`, else the config's `countersign.jwks`, else `COUNTERSIGN_JWKS`: a file or the JSON itself. */
  jwks?: string | undefined;
  /** The explicit opt-in to verify with keys fetched from the server (`--trust-server-keys`). */
  trustServerKeys?: boolean | undefined;
  /** Relative JWKS paths resolve against this folder (the config file's). */
  baseDir?: string;
  env?: NodeJS.ProcessEnv;
  fetch?: FetchFunction;
}

export interface CountersignSettings {
  url: string;
  trustedKeys: TrustedKeys;
}

/**
 * Where Countersign is and which keys its proofs are verified with. Pinned
 * keys are required unless the operator opts in to the server's own keys; a
 * gateway that silently trusted whatever the server sends would let a
 * compromised server (or path) approve anything.
 */
export async function resolveCountersignSettings(
  input: CountersignSettingsInput,
): Promise<CountersignSettings> {
  const env = input.env ?? process.env;
  const url = input.url ?? env.COUNTERSIGN_URL;
  if (!url) {
    throw new CountersignError(
      "invalid_request",
      "Say where Countersign is: --countersign-url or COUNTERSIGN_URL",
    );
  }
  const jwks = input.jwks ?? env.COUNTERSIGN_JWKS;
  if (jwks) return { url, trustedKeys: pinnedKeys(await readJwks(jwks, input.baseDir)) };
  const trust =
    input.trustServerKeys ??
    ["1", "true", "yes"].includes((env.COUNTERSIGN_TRUST_SERVER_KEYS ?? "").toLowerCase());
  if (!trust) {
    throw new CountersignError(
      "invalid_request",
      "Pin Countersign's public keys: --jwks keys.json or COUNTERSIGN_JWKS (print them with `countersign keys jwks`). " +
        "To verify with keys fetched from the server instead, opt in with --trust-server-keys.",
    );
  }
  const fetchFunction = input.fetch ?? ((request, init) => globalThis.fetch(request, init));
  return {
    url,
    trustedKeys: serverKeys(async () => {
      const response = await fetchFunction(`${url.replace(/\/+$/, "")}/v1/keys`, {
        headers: { accept: "application/json" },
      });
      if (!response.ok)
        throw new CountersignError("server_error", `GET /v1/keys answered ${response.status}`);
      return JwkSetSchema.parse(await response.json());
    }),
  };
}

/**
 * Checks that Countersign accepts a key, for the HTTP transports. There is no
 * "who am I" endpoint yet, so this lists one pause: 401 for an unknown or
 * revoked key, which is what matters here.
 */
export function keyChecker(url: string, fetchFunction?: FetchFunction): (apiKey: string) => Promise<void> {
  return async (apiKey) => {
    const client = createClient({
      baseUrl: url,
      apiKey,
      timeoutMs: 5_000,
      ...(fetchFunction && { fetch: fetchFunction }),
    });
    await client.listPauses({ limit: 1 });
  };
}
