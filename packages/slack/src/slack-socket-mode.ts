import { App, type LogLevel, SocketModeReceiver, type webApi } from "@slack/bolt";
import type { InteractionHandler } from "./interaction-handler.ts";
import { ACTION_ID_PREFIX, REJECT_MODAL_CALLBACK_ID } from "./interaction-ids.ts";

export interface SocketModeOptions {
  appToken: string;
  botToken: string;
  interactions: InteractionHandler;
  track: (work: Promise<void>) => void;
  logError: (message: string, details: Record<string, unknown>) => void;
  clientOptions?: webApi.WebClientOptions;
  logLevel?: LogLevel;
}

export interface SocketModeConnection {
  stop(): Promise<void>;
}

/**
 * Socket Mode: Bolt's receiver holds a WebSocket to Slack (no public URL)
 * and its listeners hand each interaction to the same handler the HTTP
 * routes use, acknowledging at once and doing the rest afterwards.
 */
export async function startSocketMode(options: SocketModeOptions): Promise<SocketModeConnection> {
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    ...(options.logLevel && { logLevel: options.logLevel }),
  });
  const app = new App({
    receiver,
    // A fixed authorization instead of `token`: Bolt would otherwise call auth.test
    // for ids this app never uses (replies go through the plugin's own client).
    authorize: async () => ({ botToken: options.botToken }),
    ...(options.clientOptions && { clientOptions: options.clientOptions }),
    ...(options.logLevel && { logLevel: options.logLevel }),
  });

  function dispatch(body: unknown): Record<string, unknown> | undefined {
    try {
      const outcome = options.interactions.handle(body);
      if (outcome.work) options.track(outcome.work);
      return outcome.response ?? undefined;
    } catch (error) {
      options.logError("malformed slack interaction", {
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  app.action(new RegExp(`^${ACTION_ID_PREFIX}`), async ({ ack, body }) => {
    dispatch(body);
    await ack();
  });
  app.view(REJECT_MODAL_CALLBACK_ID, async ({ ack, body }) => {
    const response = dispatch(body);
    await (ack as (response?: Record<string, unknown>) => Promise<void>)(response);
  });

  await app.start();
  return { stop: () => app.stop() as Promise<void> };
}
