// Runs in a worker thread: a second process-like writer on the same SQLite file.
import { parentPort, workerData } from "node:worker_threads";
import { sqliteStore } from "./sqlite-store.ts";

interface WriterJob {
  path: string;
  pauseId: string;
  writer: string;
  appends: number;
}

const job = workerData as WriterJob;
const store = sqliteStore(job.path, { busyTimeoutMs: 10_000 });
await store.migrate();
const actor = { kind: "system", id: job.writer } as const;
let claimed = false;
for (let index = 0; index < job.appends; index++) {
  const at = new Date(Date.UTC(2030, 0, 1, 0, 0, index)).toISOString();
  await store.appendAudit({
    type: "pause.viewed",
    pauseId: job.pauseId,
    agentId: null,
    actor,
    at,
    data: { index },
  });
  const claim = await store.claim(job.pauseId, at, {
    type: "pause.claimed",
    pauseId: job.pauseId,
    agentId: null,
    actor,
    at,
    data: {},
  });
  if (claim?.ok) claimed = true;
}
await store.close();
parentPort?.postMessage({ claimed });
