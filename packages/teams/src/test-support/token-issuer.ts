import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function signingKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid: randomUUID(), privateKey, publicKey };
}

/**
 * The Bot Framework's token service, played on loopback: an OpenID
 * configuration and its key set (the channel trusts them through
 * `cloud.openIdMetadataUrl`), and RS256 tokens signed with the published key
 * or, for forgeries, with a key it never published.
 */
export async function startTokenIssuer() {
  const published = signingKey();
  const unpublished = signingKey();
  const requests: string[] = [];
  const keySet = () => ({
    keys: [
      {
        ...published.publicKey.export({ format: "jwk" }),
        kid: published.kid,
        use: "sig",
        alg: "RS256",
        endorsements: ["msteams"],
      },
    ],
  });
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.url === "/v1/.well-known/openidconfiguration") {
      response.setHeader("content-type", "application/json");
      response.end(
        JSON.stringify({
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: "https://invalid.botframework.com",
          jwks_uri: `${base}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["private_key_jwt"],
        }),
      );
      return;
    }
    if (request.url === "/v1/.well-known/keys") {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(keySet()));
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    openIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    /** The published key set (JWKS), e.g. to play another issuer with the same key. */
    keySet,
    /** Every request the channel made to this issuer, "GET /path". */
    requests,
    /**
     * A Bot Connector token. `forged` signs with a key the issuer never
     * published, under the published key id.
     */
    sign(claims: Record<string, unknown>, options: { forged?: boolean; kid?: string } = {}): string {
      const key = options.forged ? unpublished : published;
      const nowSeconds = Math.floor(Date.now() / 1000);
      const header = { alg: "RS256", typ: "JWT", kid: options.kid ?? published.kid };
      const payload = { iss: BOT_FRAMEWORK_ISSUER, nbf: nowSeconds - 60, exp: nowSeconds + 3600, ...claims };
      const encoded = `${base64url(header)}.${base64url(payload)}`;
      const signature = createSign("RSA-SHA256").update(encoded).sign(key.privateKey).toString("base64url");
      return `${encoded}.${signature}`;
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type TokenIssuer = Awaited<ReturnType<typeof startTokenIssuer>>;

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
