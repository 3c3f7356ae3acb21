import { X509Certificate } from "node:crypto";
import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import { CountersignError } from "@countersign/core";
import type { TokenProviderFn } from "@microsoft/teams.api";

/** A certificate uploaded to the app registration, with its private key (both PEM). */
export interface TeamsCertificate {
  /** `-----BEGIN CERTIFICATE-----` … (the public part Entra knows). */
  certificate: string;
  /** `-----BEGIN PRIVATE KEY-----` … (PKCS#8). */
  privateKey: string;
}

/**
 * App tokens from a certificate (the Teams SDK takes a client secret or a
 * managed identity, not a certificate): MSAL signs a client assertion with
 * the key, naming the certificate by its SHA-256 thumbprint, and sends the
 * chain (`x5c`) so a Subject Name + Issuer credential also works.
 */
export function certificateTokenProvider(options: {
  appId: string;
  tenantId: string;
  certificate: TeamsCertificate;
  loginEndpoint: string;
  logError: (message: string, details: Record<string, unknown>) => void;
}): TokenProviderFn {
  let thumbprint: string;
  try {
    thumbprint = new X509Certificate(options.certificate.certificate).fingerprint256.replaceAll(":", "");
  } catch {
    throw new CountersignError("invalid_request", "The Teams certificate is not a PEM X.509 certificate");
  }
  const clients = new Map<string, ConfidentialClientApplication>();
  const clientFor = (tenantId: string) => {
    let client = clients.get(tenantId);
    if (!client) {
      client = new ConfidentialClientApplication({
        auth: {
          clientId: options.appId,
          authority: `${options.loginEndpoint}/${tenantId}`,
          clientCertificate: {
            thumbprintSha256: thumbprint,
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
      });
      clients.set(tenantId, client);
    }
    return client;
  };
  return async (scope, tenantId) => {
    const scopes = Array.isArray(scope) ? scope : [scope];
    const result = await clientFor(tenantId ?? options.tenantId).acquireTokenByClientCredential({ scopes });
    if (!result?.accessToken) throw new Error("Microsoft Entra returned no access token");
    return result.accessToken;
  };
}
