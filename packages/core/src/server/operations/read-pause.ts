import { CountersignError } from "../../errors/countersign-error.ts";
import type { ApiKeyRecord, PauseRecord } from "../../store/records.ts";
import type { ServiceContext } from "../service-context.ts";
import { freshPause } from "./expire-pause.ts";

/** Agents see only the pauses their own key opened; approvers and admins see all. Others get 404, not 403, so ids don't leak. */
export function canSee(key: ApiKeyRecord, record: PauseRecord): boolean {
  return key.role !== "agent" || record.ownerKeyId === key.keyId;
}

export async function readOwnPause(
  context: ServiceContext,
  pauseId: string,
  key: ApiKeyRecord,
): Promise<PauseRecord> {
  const record = await freshPause(context, pauseId);
  if (!record || !canSee(key, record))
    throw new CountersignError("not_found", `No pause ${pauseId}`, { pauseId });
  return record;
}
