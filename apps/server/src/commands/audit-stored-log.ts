import type { AuditEvent } from "@countersign/core";
import {
  appendLeaves,
  auditEventHash,
  auditLeafHash,
  formatHash,
  frontierRoot,
  GENESIS_HASH,
  type MerkleNode,
  readTreeHead,
  type Store,
} from "@countersign/core/server";

const PAGE = 1_000;

/**
 * Re-reads every stored event and re-derives the chain and the Merkle root
 * from them; returns what is wrong, or null when the events still are the log
 * the tree was built from. Run before signing a checkpoint from the CLI.
 */
export async function checkStoredLog(store: Store): Promise<string | null> {
  const tree = await readTreeHead(store);
  let frontier: MerkleNode[] = [];
  let previous: Pick<AuditEvent, "seq" | "hash"> = { seq: 0, hash: GENESIS_HASH };
  while (previous.seq < tree.size) {
    const page = await store.listAudit({ afterSeq: previous.seq, limit: PAGE });
    if (page.length === 0) break;
    for (const event of page.filter((candidate) => candidate.seq <= tree.size)) {
      const { hash, ...unhashed } = event;
      if (event.seq !== previous.seq + 1) return `Audit event ${previous.seq + 1} is missing from the store`;
      if (event.prev_hash !== previous.hash || auditEventHash(unhashed) !== hash) {
        return `Audit event ${event.seq} no longer matches the chain: the log was edited. No checkpoint is signed over it.`;
      }
      frontier = appendLeaves(frontier, event.seq - 1, [auditLeafHash(event)]).frontier;
      previous = event;
    }
  }
  const root = formatHash(frontierRoot(frontier));
  if (previous.seq !== tree.size || root !== tree.rootHash) {
    return `The stored events no longer have the Merkle root the log was sealed with (${tree.rootHash}): the log was rewritten. No checkpoint is signed over it.`;
  }
  return null;
}
