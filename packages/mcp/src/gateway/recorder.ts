import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { MaskingEntry } from "../masking/create-masker.ts";

/**
 * What the gateway records. Never argument values or masked values: an
 * argument digest (SHA-256 of the canonical JSON) and counts only.
 */
export type GatewayEvent =
  | {
      type: "tool.allowed";
      at: string;
      session: string;
      server: string;
      tool: string;
      arguments_digest: string;
      duration_ms: number;
      outcome: "ok" | "tool_error" | "error";
    }
  | { type: "tool.denied"; at: string; session: string; server: string; tool: string; rule: string }
  | {
      type: "tool.gated";
      at: string;
      session: string;
      server: string;
      tool: string;
      rule: string;
      arguments_digest: string;
      pause_id: string | null;
      outcome:
        | "executed"
        | "execution_failed"
        | "pending"
        | "rejected"
        | "expired"
        | "cancelled"
        | "replayed"
        | "already_claimed"
        | "proof_invalid"
        | "countersign_error";
      duration_ms?: number;
      code?: string;
    }
  | {
      type: "result.masked";
      at: string;
      session: string;
      server: string;
      tool: string | null;
      pause_id: string | null;
      masked: MaskingEntry[];
    };

/**
 * Where gateway events go. Countersign's audit log already holds every gated
 * call's pause events (opened, routed, decided, claimed); these events add the
 * gateway's side. The server has no endpoint yet that an agent key can write
 * them to, so the default recorder appends JSON Lines to a local file.
 */
export interface GatewayRecorder {
  record(event: GatewayEvent): void;
  /** Resolves once everything recorded so far is written. */
  flush(): Promise<void>;
}

/** Appends one JSON object per line, in order, without blocking the call that recorded it. */
export function jsonlRecorder(file: string, onError: (error: unknown) => void = () => {}): GatewayRecorder {
  let queue: Promise<void> = mkdir(dirname(file), { recursive: true }).then(() => {});
  return {
    record(event) {
      const line = `${JSON.stringify(event)}\n`;
      queue = queue.then(() => appendFile(file, line, "utf8")).catch(onError);
    },
    flush: () => queue,
  };
}

export function memoryRecorder(): GatewayRecorder & { events: GatewayEvent[] } {
  const events: GatewayEvent[] = [];
  return { events, record: (event) => void events.push(event), flush: async () => {} };
}
