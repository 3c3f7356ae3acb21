import { X509Certificate } from "node:crypto";
import type { ConfidentialClientApplication } from "@azure/msal-node";
import { CountersignError } from "@countersign/core";
import type { TokenProviderFn } from "@microsoft/teams.api";

/** A certificate uploaded to the app registration, with its private key (both PEM). */
export interface TeamsCertificate {
  /** `-----BEGIN CERTIFICATE-----` … (the public part Entra knows). */
  certificate: string;
  /** `-----BEGIN PRIVATE KEY-----` … (PKCS#8). */
  privateKey: string;
}

/** The certificate's SHA-256 thumbprint (hex), which names it to Entra; throws on a malformed PEM. */
export function certificateThumbprint(certificate: TeamsCertificate): string {
  try {
    return new X509Certificate(certificate.certificate).fingerprint256.replaceAll(":", "");
  } catch {
    throw new CountersignError("invalid_request", "The Teams certificate is not a PEM X.509 certificate");
  }
}

/**
 * App tokens from a certificate (the Teams SDK takes a client secret or a
 * managed identity, not a certificate): MSAL signs a client assertion with
 * the key, naming the certificate by its SHA-256 thumbprint, and sends the
 * chain (`x5c`) so a Subject Name + Issuer credential also works. MSAL is
 * loaded on the first token request.
 */
export function certificateTokenProvider(options: {
  appId: string;
  tenantId: string;
  certificate: TeamsCertificate;
  loginEndpoint: string;
  logError: (message: string, details: Record<string, unknown>) => void;
}): TokenProviderFn {
  const thumbprintSha256 = certificateThumbprint(options.certificate);
  const clients = new Map<string, Promise<ConfidentialClientApplication>>();
  const clientFor = (tenantId: string) => {
    let client = clients.get(tenantId);
    if (!client) {
      client = import("@azure/msal-node").then(
        ({ ConfidentialClientApplication, LogLevel }) =>
          new ConfidentialClientApplication({
            auth: {
              clientId: options.appId,
              authority: `${options.loginEndpoint}/${tenantId}`,
              clientCertificate: {
                thumbprintSha256,
                privateKey: options.certificate.privateKey,
                x5c: options.certificate.certificate,
              },
            },
            system: {
              loggerOptions: {
                logLevel: LogLevel.Error,
                piiLoggingEnabled: false,
                loggerCallback: (_level, message) => options.logError(`msal: ${message}`, {}),
              },
            },
          }),
      );
      clients.set(tenantId, client);
    }
    return client;
  };
  return async (scope, tenantId) => {
    const scopes = Array.isArray(scope) ? scope : [scope];
    const client = await clientFor(tenantId ?? options.tenantId);
    const result = await client.acquireTokenByClientCredential({ scopes });
    if (!result?.accessToken) throw new Error("Microsoft Entra returned no access token");
    return result.accessToken;
  };
}
