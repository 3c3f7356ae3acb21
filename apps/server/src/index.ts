// The `countersign` package: the batteries-included server. The protocol, client and server core
// come from @countersign/core; this package adds the inbox, the e-mail and Slack wiring and the CLI.
export {
  type CountersignServer,
  type CountersignServerOptions,
  createCountersignServer,
} from "./assemble/countersign-server.ts";
export { type LogLevel, pinoLogger } from "./assemble/pino-logger.ts";
export { channelsFromEnv } from "./channels-from-env.ts";
export {
  type EmailChannel,
  type EmailChannelOptions,
  emailChannel,
  emailChannelFromEnv,
} from "./email/index.ts";
export { type InboxOptions, type MountedInbox, mountInbox } from "./inbox/index.ts";
export { openStore } from "./open-store.ts";
export { loadWebSecret } from "./web-session/web-secret.ts";
