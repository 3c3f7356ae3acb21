import { CountersignError } from "../errors/countersign-error.ts";
import type { AuditCheckpointV2 } from "../protocol/audit-checkpoint.ts";
import type { Store } from "../store/store.ts";
import { GENESIS_HASH } from "./audit-chain.ts";
import { type AuditTreeHead, signCheckpoint } from "./audit-checkpoint.ts";
import { proveConsistency, readTreeHead } from "./audit-tree.ts";
import type { AuditWitness } from "./audit-witness.ts";
import { CONSISTENCY_PROOF_TYPE, type ConsistencyProof, checkpointsConsistent } from "./consistency-proof.ts";
import { frontierIds, frontierRoot } from "./merkle-frontier.ts";
import { formatHash, nodeKey } from "./merkle-hash.ts";

export interface AuditCheckpointer {
  /**
   * Signs a checkpoint of the sealed log — but only after proving that the
   * log still extends the newest checkpoint signed or witnessed before (so a
   * rewritten or truncated log never gets a fresh signature) — and appends it
   * to the witness when the log grew.
   */
  checkpoint(): Promise<AuditCheckpointV2>;
  /** A consistency proof from the log's first `fromSize` events to a fresh checkpoint. */
  consistency(fromSize: number): Promise<ConsistencyProof>;
}

export function createAuditCheckpointer(options: {
  store: Store;
  /** The signing key, or why there is none to sign with (signing then rejects with it). */
  key: { kid: string; privateKey: CryptoKey } | Error;
  witness?: AuditWitness;
  now: () => Date;
}): AuditCheckpointer {
  const { store, key, witness, now } = options;
  let last: AuditCheckpointV2 | null = null;
  let loaded = false;
  // One checkpoint at a time, so `last` moves forward in order.
  let queue: Promise<unknown> = Promise.resolve();

  async function ensureExtends(previous: AuditCheckpointV2, tree: AuditTreeHead): Promise<void> {
    const proof = tree.size > previous.size ? await proveConsistency(store, previous.size, tree.size) : [];
    if (!checkpointsConsistent(previous, { size: tree.size, root_hash: tree.rootHash }, proof)) {
      throw new CountersignError(
        "audit_inconsistent",
        `The audit log (${tree.size} events, root ${tree.rootHash}) does not extend the checkpoint of ${previous.at} (${previous.size} events, root ${previous.root_hash}): it was rewritten or truncated. No checkpoint is signed over it.`,
      );
    }
  }

  function signingKey(): { kid: string; privateKey: CryptoKey } {
    if (key instanceof Error) throw key;
    return key;
  }

  async function take(): Promise<AuditCheckpointV2> {
    const signing = signingKey();
    const tree = await readTreeHead(store);
    if (!loaded) {
      last = (await witness?.latest()) ?? null;
      loaded = true;
    }
    if (last) await ensureExtends(last, tree);
    const signed = await signCheckpoint(tree, signing, now());
    if (last === null || signed.size > last.size) {
      await witness?.append(signed);
      last = signed;
    }
    return signed;
  }

  return {
    checkpoint() {
      const next = queue.then(take, take);
      queue = next.catch(() => {});
      return next;
    },
    async consistency(fromSize) {
      const to = await this.checkpoint();
      if (!Number.isInteger(fromSize) || fromSize < 0 || fromSize > to.size) {
        throw new CountersignError(
          "invalid_request",
          `from must be a size between 0 and the log's ${to.size} events`,
        );
      }
      const ids = frontierIds(fromSize);
      const nodes = await store.auditTreeNodes(ids);
      const root = frontierRoot(ids.map((id) => ({ ...id, hash: nodes.get(nodeKey(id))! })));
      const head = fromSize === 0 ? null : (await store.listAudit({ afterSeq: fromSize - 1, limit: 1 }))[0];
      const from = await signCheckpoint(
        {
          size: fromSize,
          rootHash: formatHash(root),
          headHash: head?.hash ?? GENESIS_HASH,
        },
        signingKey(),
        now(),
      );
      return {
        v: 2,
        type: CONSISTENCY_PROOF_TYPE,
        from,
        to,
        proof: await proveConsistency(store, fromSize, to.size),
      };
    },
  };
}
