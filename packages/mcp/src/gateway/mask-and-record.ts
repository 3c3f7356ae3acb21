import type { MaskTarget } from "../masking/create-masker.ts";
import type { GatewayRuntime } from "./gateway-runtime.ts";

/** Masks what an upstream answered and records that it did (rule, matcher, count; never the values). */
export function maskAndRecord<Value>(
  runtime: Pick<GatewayRuntime, "masker" | "recorder">,
  value: Value,
  target: MaskTarget,
  sessionId: string,
  pauseId: string | null,
): Value {
  const result = runtime.masker.mask(target, value);
  if (result.entries.length > 0) {
    runtime.recorder.record({
      type: "result.masked",
      at: new Date().toISOString(),
      session: sessionId,
      server: target.server,
      tool: target.tool ?? null,
      pause_id: pauseId,
      masked: result.entries,
    });
  }
  return result.value;
}
