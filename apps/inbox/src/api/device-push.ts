import { ApiError, deleteJson, getJson, postJson } from "./http.ts";

/** The service worker's scope: the inbox's pages, never the API or other sites' paths. */
const SCOPE = "/inbox/";
/** Which approver this browser's subscription was made for (a shared device may change hands). */
const SUBSCRIBED_AS = "countersign.push.identity";

export type DevicePushState =
  /** This browser cannot receive Web Push, or the server has it turned off. */
  | "unavailable"
  /** The person blocked notifications for the inbox in the browser. */
  | "blocked"
  | "off"
  | "on";

/** Whether this browser can take Web Push at all (on iPhone: only once added to the Home Screen). */
export function browserSupportsPush(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** The server's VAPID public key; `null` when Web Push is turned off there. */
async function serverKey(): Promise<string | null> {
  try {
    return (await getJson<{ public_key: string }>("/inbox/api/push/key")).public_key;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration(SCOPE);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Whether this device notifies `identity` now. */
export async function devicePushState(identity: string): Promise<DevicePushState> {
  if (!browserSupportsPush() || (await serverKey()) === null) return "unavailable";
  if (Notification.permission === "denied") return "blocked";
  const subscription = await currentSubscription();
  return subscription && localStorage.getItem(SUBSCRIBED_AS) === identity ? "on" : "off";
}

/**
 * "Notify me on this device": asks for permission, registers the service
 * worker, subscribes with the server's key and hands the subscription to the
 * server for the signed-in approver. Call from the click itself (browsers
 * only ask for permission after a user gesture).
 */
export async function turnOnDevicePush(identity: string): Promise<DevicePushState> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return permission === "denied" ? "blocked" : "off";
  const key = await serverKey();
  if (key === null) return "unavailable";
  const registration = await navigator.serviceWorker.register(`${SCOPE}sw.js`, { scope: SCOPE });
  await activated(registration);
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlBytes(key),
    }));
  await postJson("/inbox/api/push/subscriptions", subscription.toJSON());
  localStorage.setItem(SUBSCRIBED_AS, identity);
  return "on";
}

/** Stops notifications on this device: the server forgets it, then the browser unsubscribes. */
export async function turnOffDevicePush(): Promise<DevicePushState> {
  const subscription = await currentSubscription();
  if (subscription) {
    await deleteJson("/inbox/api/push/subscriptions", { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  localStorage.removeItem(SUBSCRIBED_AS);
  return "off";
}

/** Resolves once the registration has an active worker (subscribing needs one). */
function activated(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return Promise.resolve();
  const worker = registration.installing ?? registration.waiting;
  return new Promise((resolve, reject) => {
    if (!worker) return reject(new Error("The service worker did not install"));
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve();
      if (worker.state === "redundant") reject(new Error("The service worker did not install"));
    });
  });
}

function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}
