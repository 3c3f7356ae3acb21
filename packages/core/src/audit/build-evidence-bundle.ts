import { CountersignError } from "../errors/countersign-error.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import type { Pause } from "../protocol/pause.ts";
import type { Store } from "../store/store.ts";
import { signCheckpoint } from "./audit-checkpoint.ts";
import { EVIDENCE_BUNDLE_TYPE, type EvidenceBundle } from "./evidence-bundle.ts";

const PAGE = 1_000;

/** Collects one pause's evidence from the store and signs a checkpoint at its last event. */
export async function buildEvidenceBundle(options: {
  store: Store;
  /** The pause as the API renders it. */
  pause: Pause;
  signingKey: { kid: string; privateKey: CryptoKey };
  now: Date;
}): Promise<EvidenceBundle> {
  const { store, pause } = options;
  const own = await readAll(store, { pauseId: pause.pause_id });
  const first = own[0];
  const last = own.at(-1);
  if (!first || !last) {
    throw new CountersignError("not_found", `No audit events for pause ${pause.pause_id}`, {
      pauseId: pause.pause_id,
    });
  }
  const events = await readAll(store, { afterSeq: first.seq - 1, untilSeq: last.seq });
  return {
    v: 1,
    type: EVIDENCE_BUNDLE_TYPE,
    created_at: options.now.toISOString(),
    pause,
    proof: pause.proof,
    events,
    checkpoint: await signCheckpoint(last, options.signingKey, options.now),
  };
}

async function readAll(
  store: Store,
  range: { pauseId?: string; afterSeq?: number; untilSeq?: number },
): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let afterSeq = range.afterSeq;
  for (;;) {
    const page = await store.listAudit({
      limit: PAGE,
      ...(afterSeq !== undefined && { afterSeq }),
      ...(range.pauseId !== undefined && { pauseId: range.pauseId }),
    });
    for (const event of page) {
      if (range.untilSeq !== undefined && event.seq > range.untilSeq) return events;
      events.push(event);
    }
    if (page.length < PAGE) return events;
    afterSeq = page.at(-1)!.seq;
  }
}
