import { useEffect, useState } from "preact/hooks";
import {
  type DevicePushState,
  devicePushState,
  turnOffDevicePush,
  turnOnDevicePush,
} from "../api/device-push.ts";
import { announce } from "./announcer.tsx";
import "./device-notifications.css";

const SAID: Record<DevicePushState, string> = {
  unavailable: "",
  blocked: "Notifications are blocked for this site in your browser's settings.",
  off: "Get a notification here when something waits for your decision.",
  on: "This device gets a notification when something waits for your decision.",
};

/**
 * "Notify me on this device": Web Push for the signed-in approver. Shows
 * nothing where the browser cannot take it or the server has it off.
 */
export function DeviceNotifications({ identity }: { identity: string }) {
  const [state, setState] = useState<DevicePushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState("");

  useEffect(() => {
    devicePushState(identity).then(setState, () => setState("unavailable"));
  }, [identity]);

  if (state === null || state === "unavailable") return null;

  const change = async (next: () => Promise<DevicePushState>, done: (state: DevicePushState) => string) => {
    setBusy(true);
    setFailure("");
    try {
      const changed = await next();
      setState(changed);
      announce(done(changed));
    } catch (error) {
      setFailure(`That did not work: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="device-notifications" aria-label="Notifications on this device">
      <p class="muted">{SAID[state]}</p>
      {state === "off" && (
        <button
          type="button"
          class="button"
          disabled={busy}
          onClick={() =>
            void change(
              () => turnOnDevicePush(identity),
              (now) => (now === "on" ? "Notifications are on for this device" : SAID[now]),
            )
          }
        >
          Notify me on this device
        </button>
      )}
      {state === "on" && (
        <button
          type="button"
          class="link-button"
          disabled={busy}
          onClick={() => void change(turnOffDevicePush, () => "Notifications are off for this device")}
        >
          Stop notifications on this device
        </button>
      )}
      {failure && <p role="alert">{failure}</p>}
    </section>
  );
}
