import type { VapidKeys } from "./vapid-keys.ts";

/** Web Push for the inbox: on by default; `false` turns it off. */
export interface WebPushOptions {
  /** The VAPID key pair (base64url). Default: made on first start and kept in the store's settings. */
  vapidKeys?: VapidKeys;
  /**
   * A contact push services may use about this server's traffic, `mailto:` or
   * `https:` (the VAPID `sub` claim). Default: the server's URL when it is
   * https, else `mailto:countersign@localhost` (fine for development; Apple's
   * service wants a real contact).
   */
  subject?: string;
  /**
   * Accept push endpoints on loopback addresses, over http too: a local push
   * service in tests or development. Off by default: browsers' push
   * services are https on the internet, and nothing else is reachable.
   */
  allowLoopbackEndpoints?: boolean;
  /** How long one push may take, in ms. Default 10 s. */
  timeoutMs?: number;
}
