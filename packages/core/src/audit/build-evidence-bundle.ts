import { CountersignError } from "../errors/countersign-error.ts";
import type { AuditCheckpointV2 } from "../protocol/audit-checkpoint.ts";
import type { AuditEvent } from "../protocol/audit-event.ts";
import type { Pause } from "../protocol/pause.ts";
import type { Store } from "../store/store.ts";
import { proveInclusion } from "./audit-tree.ts";
import { EVIDENCE_BUNDLE_TYPE, type EvidenceBundleV2 } from "./evidence-bundle.ts";

const PAGE = 1_000;

/**
 * Collects one pause's evidence: its own events up to `checkpoint` (signed by
 * the caller, after the events it must cover were sealed), each with its
 * inclusion proof in that checkpoint's tree.
 */
export async function buildEvidenceBundle(options: {
  store: Store;
  /** The pause as the API renders it. */
  pause: Pause;
  checkpoint: AuditCheckpointV2;
  now: Date;
}): Promise<EvidenceBundleV2> {
  const { store, pause, checkpoint } = options;
  const events = (await readOwn(store, pause.pause_id)).filter((event) => event.seq <= checkpoint.size);
  if (events.length === 0) {
    throw new CountersignError("not_found", `No audit events for pause ${pause.pause_id}`, {
      pauseId: pause.pause_id,
    });
  }
  return {
    v: 2,
    type: EVIDENCE_BUNDLE_TYPE,
    created_at: options.now.toISOString(),
    pause,
    proof: pause.proof,
    execution: pause.execution ?? null,
    events,
    inclusion: await proveInclusion(
      store,
      events.map((event) => event.seq),
      checkpoint.size,
    ),
    checkpoint,
  };
}

async function readOwn(store: Store, pauseId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let afterSeq: number | undefined;
  for (;;) {
    const page = await store.listAudit({ limit: PAGE, pauseId, ...(afterSeq !== undefined && { afterSeq }) });
    events.push(...page);
    if (page.length < PAGE) return events;
    afterSeq = page.at(-1)!.seq;
  }
}
