import { readFileSync } from "node:fs";
import { CountersignError } from "@countersign/core";
import type { Store } from "@countersign/core/server";
import type { TeamsApproverDirectory, TeamsChannel } from "@countersign/teams";

/**
 * The Teams channel from the environment, or null when `COUNTERSIGN_TEAMS_APP_ID`
 * is not set. Needs `COUNTERSIGN_TEAMS_TENANT_ID`, one credential
 * (`COUNTERSIGN_TEAMS_APP_PASSWORD`, or `COUNTERSIGN_TEAMS_CERTIFICATE_FILE`: a PEM
 * with the certificate and, unless `COUNTERSIGN_TEAMS_PRIVATE_KEY_FILE` is given, its
 * key) and `COUNTERSIGN_TEAMS_TARGETS` (JSON: name → `{conversation_id, service_url?}`).
 * Teams users map to identities by their Entra object id (`countersign identities put
 * ID --teams-user OID`); `COUNTERSIGN_TEAMS_MATCH_EMAIL=1` also matches the roster's
 * e-mail or UPN to an identity's e-mail.
 */
export async function teamsChannelFromEnv(
  store: Store,
  env: NodeJS.ProcessEnv,
): Promise<TeamsChannel | null> {
  const appId = env.COUNTERSIGN_TEAMS_APP_ID;
  if (!appId) return null;
  const tenantId = env.COUNTERSIGN_TEAMS_TENANT_ID;
  if (!tenantId) throw configError("COUNTERSIGN_TEAMS_TENANT_ID is required with COUNTERSIGN_TEAMS_APP_ID");
  const targets = env.COUNTERSIGN_TEAMS_TARGETS;
  if (!targets) throw configError("COUNTERSIGN_TEAMS_TARGETS is required: the conversations cards may go to");
  const password = env.COUNTERSIGN_TEAMS_APP_PASSWORD;
  const certificateFile = env.COUNTERSIGN_TEAMS_CERTIFICATE_FILE;
  if (!password === !certificateFile) {
    throw configError(
      "Set exactly one of COUNTERSIGN_TEAMS_APP_PASSWORD or COUNTERSIGN_TEAMS_CERTIFICATE_FILE",
    );
  }
  const matchEmail =
    env.COUNTERSIGN_TEAMS_MATCH_EMAIL === "1" || env.COUNTERSIGN_TEAMS_MATCH_EMAIL === "true";
  const { parseConversationTargets, teamsChannel } = await import("@countersign/teams");
  return teamsChannel({
    appId,
    tenantId,
    ...(password && { appPassword: password }),
    ...(certificateFile && {
      certificate: readCertificate(certificateFile, env.COUNTERSIGN_TEAMS_PRIVATE_KEY_FILE),
    }),
    targets: parseConversationTargets(targets),
    approvers: teamsApproversFromStore(store, { matchEmail }),
    matchEmail,
    ...(env.COUNTERSIGN_TEAMS_SERVICE_URL && { serviceUrl: env.COUNTERSIGN_TEAMS_SERVICE_URL }),
  });
}

/**
 * Teams users → identities through the store: by Entra object id, and with
 * `matchEmail` by the roster's e-mail or UPN against an identity's e-mail.
 */
export function teamsApproversFromStore(
  store: Store,
  options: { matchEmail: boolean },
): TeamsApproverDirectory {
  return async (user) => {
    if (user.aadObjectId) {
      const mapped = await store.findIdentityByTeamsUser(user.aadObjectId);
      if (mapped) return mapped.identity;
    }
    if (!options.matchEmail) return null;
    const addresses = [user.email, user.userPrincipalName]
      .filter((address): address is string => !!address)
      .map((address) => address.toLowerCase());
    if (addresses.length === 0) return null;
    const identities = await store.listIdentities();
    return (
      identities.find((record) => record.email && addresses.includes(record.email.toLowerCase()))?.identity ??
      null
    );
  };
}

function readCertificate(certificateFile: string, privateKeyFile: string | undefined) {
  const read = (path: string, name: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      throw configError(`${name}: cannot read ${path}`);
    }
  };
  const certificatePem = read(certificateFile, "COUNTERSIGN_TEAMS_CERTIFICATE_FILE");
  const keyPem = privateKeyFile ? read(privateKeyFile, "COUNTERSIGN_TEAMS_PRIVATE_KEY_FILE") : certificatePem;
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(
    certificatePem,
  )?.[0];
  const privateKey = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(keyPem)?.[0];
  if (!certificate) throw configError("COUNTERSIGN_TEAMS_CERTIFICATE_FILE holds no PEM certificate");
  if (!privateKey) {
    throw configError(
      "No PKCS#8 private key (-----BEGIN PRIVATE KEY-----) in the Teams certificate or key file",
    );
  }
  return { certificate, privateKey };
}

function configError(message: string): CountersignError {
  return new CountersignError("invalid_request", message);
}
