import { type CloudEnvironment, PUBLIC, withOverrides } from "@microsoft/teams.api";
import { App, type HttpRouteHandler } from "@microsoft/teams.apps";
import { certificateTokenProvider, type TeamsCertificate } from "./certificate-credential.ts";
import { createFetchAdapter } from "./messaging-endpoint.ts";
import { createSdkLogger } from "./sdk-logger.ts";

export interface TeamsAppOptions {
  appId: string;
  appPassword?: string;
  certificate?: TeamsCertificate;
  tenantId: string;
  messagingPath: string;
  serviceUrl: string;
  cloud?: Partial<CloudEnvironment>;
  outboundTimeoutMs: number;
  logError: (message: string, details: Record<string, unknown>) => void;
  redact: (text: string) => string;
}

/**
 * The Teams SDK app behind the channel. Every setting is passed explicitly:
 * left out, the SDK would read `CLIENT_ID`, `CLIENT_SECRET`, `TENANT_ID`,
 * `SERVICE_URL`, `CLOUD` and even `DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS`
 * from the environment. Its HTTP server is the fetch adapter: the SDK
 * authenticates and runs activities, the approval server owns the socket.
 */
export function createTeamsApp(options: TeamsAppOptions) {
  const cloud = withOverrides(PUBLIC, options.cloud ?? {});
  const adapter = createFetchAdapter();
  const app = new App({
    clientId: options.appId,
    tenantId: options.tenantId,
    ...(options.appPassword
      ? { clientSecret: options.appPassword }
      : options.certificate && {
          token: certificateTokenProvider({
            appId: options.appId,
            tenantId: options.tenantId,
            certificate: options.certificate,
            loginEndpoint: cloud.loginEndpoint,
            logError: options.logError,
          }),
        }),
    cloud,
    serviceUrl: options.serviceUrl,
    httpServerAdapter: adapter,
    messagingEndpoint: options.messagingPath as `/${string}`,
    dangerouslyAllowUnauthenticatedRequests: false,
    state: false,
    client: { timeout: options.outboundTimeoutMs },
    logger: createSdkLogger(options.logError, options.redact),
    telemetry: { agent365: false },
  });
  let initialized: Promise<HttpRouteHandler> | null = null;

  /** The SDK's messaging handler; initializes the app (and registers the route) on first use. */
  function handler(): Promise<HttpRouteHandler> {
    initialized ??= app.initialize().then(() => {
      const registered = adapter.handler(options.messagingPath);
      if (!registered) throw new Error("the Teams SDK registered no messaging route");
      return registered;
    });
    return initialized;
  }

  return { app, cloud, handler };
}
