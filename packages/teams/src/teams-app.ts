import type { CloudEnvironment } from "@microsoft/teams.api";
import type { App, HttpRouteHandler } from "@microsoft/teams.apps";
import { certificateTokenProvider, type TeamsCertificate } from "./certificate-credential.ts";
import { createFetchAdapter } from "./messaging-endpoint.ts";
import { createSdkLogger } from "./sdk-logger.ts";

/** The Bot Framework's token issuer in the public cloud (`cloud.tokenIssuer` overrides it). */
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";

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
  /** Registers the channel's activity handlers on the app, before it is initialized. */
  configure: (app: App) => void;
}

export interface LoadedTeamsApp {
  app: App;
  /** The SDK's messaging handler: it authenticates the request and runs the activity. */
  handler: HttpRouteHandler;
}

/**
 * The Teams SDK app behind the channel, created on first use: the SDK (and
 * its Express, axios and MSAL) is only loaded when Teams is configured and
 * used, not by every `countersign` command. Every setting is passed
 * explicitly: left out, the SDK would read `CLIENT_ID`, `CLIENT_SECRET`,
 * `TENANT_ID`, `SERVICE_URL`, `CLOUD` and even
 * `DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS` from the environment. Its HTTP
 * server is the fetch adapter: the SDK authenticates and runs activities, the
 * approval server owns the socket.
 */
export function createTeamsApp(options: TeamsAppOptions) {
  let loaded: Promise<LoadedTeamsApp> | null = null;

  async function create(): Promise<LoadedTeamsApp> {
    const [{ App }, { PUBLIC, withOverrides }] = await Promise.all([
      import("@microsoft/teams.apps"),
      import("@microsoft/teams.api"),
    ]);
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
    options.configure(app);
    await app.initialize();
    const handler = adapter.handler(options.messagingPath);
    if (!handler) throw new Error("the Teams SDK registered no messaging route");
    return { app, handler };
  }

  return {
    /** The issuer whose tokens the messaging endpoint lets through to the SDK. */
    tokenIssuer: options.cloud?.tokenIssuer ?? BOT_FRAMEWORK_ISSUER,
    /** The initialized app; loads and creates it on the first call. */
    load(): Promise<LoadedTeamsApp> {
      loaded ??= create();
      return loaded;
    },
  };
}
