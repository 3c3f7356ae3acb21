import { once } from "node:events";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

// web-push-testing: a push service that runs here. It hands out subscriptions
// (as a browser's push service would), checks each push's VAPID JWT against
// the key the subscription was made with, decrypts the payload (aes128gcm)
// and keeps it, and answers 410 for a subscription marked expired.
const require = createRequire(import.meta.url);
const WebPushTestingServer = require("web-push-testing/src/server.js") as new (
  model: unknown,
  port: number,
) => { _app: { listen(port: number, host: string): Server }; setRequestHandlers(): void };
const { PushApiModel } = require("web-push-testing/src/PushApiModel.js") as {
  PushApiModel: new () => { notifyUrl: string };
};

/** A browser's subscription as `PushSubscription.toJSON()` gives it, plus the service's handle on it. */
export interface LocalSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  clientHash: string;
}

export interface LocalPushService {
  url: string;
  /** Subscribes a new device with the server's VAPID public key. */
  subscribe(applicationServerKey: string): Promise<LocalSubscription>;
  /** The decrypted messages a device received, oldest first. */
  messages(subscription: LocalSubscription): Promise<string[]>;
  /** Marks a device unsubscribed: its endpoint answers 410 Gone from now on. */
  expire(subscription: LocalSubscription): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts web-push-testing's service in this process on 127.0.0.1, port 0
 * (its own CLI would listen on every interface and detach). One at a time:
 * the package keeps its model in a module variable.
 */
export async function startLocalPushService(): Promise<LocalPushService> {
  const model = new PushApiModel();
  const service = new WebPushTestingServer(model, 0);
  service.setRequestHandlers();
  const listener = service._app.listen(0, "127.0.0.1");
  await once(listener, "listening");
  const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  model.notifyUrl = `${url}/notify/`;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`push service ${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    url,
    async subscribe(applicationServerKey) {
      const answer = (await (await post("/subscribe", { applicationServerKey })).json()) as {
        data: LocalSubscription;
      };
      return answer.data;
    },
    async messages(subscription) {
      const answer = (await (
        await post("/get-notifications", { clientHash: subscription.clientHash })
      ).json()) as { data: { messages: string[] } };
      return answer.data.messages;
    },
    async expire(subscription) {
      await post(`/expire-subscription/${subscription.clientHash}`, {});
    },
    async close() {
      listener.closeAllConnections();
      listener.close();
      await once(listener, "close").catch(() => {});
    },
  };
}
