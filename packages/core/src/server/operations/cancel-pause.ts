import type { ApiKeyRecord, PauseRecord } from "../../store/records.ts";
import type { ServiceContext } from "../service-context.ts";
import { readOwnPause } from "./read-pause.ts";
import { alreadyDecided, settlePause } from "./settle-pause.ts";

/** The agent withdraws its own pending pause. No proof: nothing was decided. */
export async function cancelPause(
  context: ServiceContext,
  pauseId: string,
  key: ApiKeyRecord,
  reason: string | undefined,
): Promise<PauseRecord> {
  const record = await readOwnPause(context, pauseId, key);
  if (record.status !== "pending") throw alreadyDecided(record);
  const at = context.now().toISOString();
  const decidedBy = { kind: "agent" as const, id: key.identity ?? key.keyId };
  return settlePause(
    context,
    record,
    {
      status: "cancelled",
      decision: {
        status: "cancelled",
        decided_by: decidedBy,
        reason: reason ?? null,
        data: null,
        decided_at: at,
      },
      proof: null,
    },
    [
      {
        type: "pause.cancelled",
        pauseId,
        agentId: record.agentId,
        actor: { kind: "agent", id: key.keyId },
        at,
        data: { reason: reason ?? null },
      },
    ],
  );
}
