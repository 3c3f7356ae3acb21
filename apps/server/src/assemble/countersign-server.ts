import {
  type ApprovalServer,
  type ApprovalServerOptions,
  createApprovalServer,
  type Logger,
  type PolicyHook,
  type Store,
} from "@countersign/core/server";
import { channelsFromEnv } from "../channels-from-env.ts";
import type { EmailChannel } from "../email/email-channel.ts";
import { emailChannelFromEnv } from "../email/email-from-env.ts";
import { type MountedInbox, mountInbox } from "../inbox/index.ts";
import { pushOptionsFromEnv } from "../push/push-from-env.ts";

export interface CountersignServerOptions {
  store: Store;
  log: Logger;
  /** Where the channels (Slack, Teams, e-mail) and the secrets are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  policy?: PolicyHook;
  baseUrl?: string;
  audit?: ApprovalServerOptions["audit"];
  allowPrivateWebhooks?: boolean;
  /** The inbox's built files (tests). */
  inboxStaticDir?: string;
  /** Anything else for `createApprovalServer`. */
  serverOptions?: Partial<Omit<ApprovalServerOptions, "store" | "log">>;
}

export interface CountersignServer {
  server: ApprovalServer;
  inbox: MountedInbox;
  /** The e-mail channel, when SMTP is configured. */
  email: EmailChannel | null;
}

/**
 * The whole `countersign serve` application, without the socket: the
 * approval server, the channels configured in the environment, and the inbox.
 * Every route it serves is a declared route (or a hidden page), so
 * `/openapi.json` documents all of them.
 */
export async function createCountersignServer(options: CountersignServerOptions): Promise<CountersignServer> {
  const env = options.env ?? process.env;
  const { store, log } = options;
  const email = await emailChannelFromEnv(env, store, log);
  const push = pushOptionsFromEnv(env);
  const server = await createApprovalServer({
    store,
    channels: [...(await channelsFromEnv(store, env)), ...(email ? [email] : [])],
    log,
    ...(options.policy && { policy: options.policy }),
    ...(options.baseUrl && { baseUrl: options.baseUrl }),
    ...(options.audit && { audit: options.audit }),
    ...(env.COUNTERSIGN_PROOF_SECRET && { proofSecret: env.COUNTERSIGN_PROOF_SECRET }),
    ...(env.COUNTERSIGN_WEBHOOK_SECRET && { webhookSecret: env.COUNTERSIGN_WEBHOOK_SECRET }),
    ...options.serverOptions,
    webhooks: {
      ...options.serverOptions?.webhooks,
      allowPrivateTargets:
        options.allowPrivateWebhooks === true || env.COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS === "1",
    },
  });
  const inbox = await mountInbox(server, {
    store,
    log,
    ...(email && { sendSignInLink: email.sendSignInLink }),
    push,
    ...(options.inboxStaticDir && { staticDir: options.inboxStaticDir }),
  });
  return { server, inbox, email };
}
