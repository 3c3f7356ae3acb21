import type { Store } from "../store/store.ts";
import { type AuditTreeHead, EMPTY_TREE_HEAD } from "./audit-checkpoint.ts";
import { frontierIds, frontierRoot } from "./merkle-frontier.ts";
import { formatHash, type Hash, type MerkleNode, type MerkleNodeId, nodeKey } from "./merkle-hash.ts";
import {
  consistencyProof,
  consistencyProofNodes,
  inclusionProof,
  inclusionProofNodes,
} from "./merkle-proofs.ts";

/** The sealed log's tree head: size, Merkle root and chain head, read from the store. */
export async function readTreeHead(store: Store): Promise<AuditTreeHead> {
  const head = await store.auditHead();
  if (head === null) return EMPTY_TREE_HEAD;
  const ids = frontierIds(head.seq);
  const nodes = await readNodes(store, ids);
  const frontier: MerkleNode[] = ids.map((id) => ({ ...id, hash: required(nodes, id) }));
  return { size: head.seq, rootHash: formatHash(frontierRoot(frontier)), headHash: head.hash };
}

/** Inclusion proofs of events (by `seq`) in the tree of `size` events, hex hashes leaf side first. */
export async function proveInclusion(
  store: Store,
  seqs: readonly number[],
  size: number,
): Promise<string[][]> {
  const ids = seqs.flatMap((seq) => inclusionProofNodes(seq - 1, size));
  const nodes = await readNodes(store, ids);
  return seqs.map((seq) => inclusionProof(seq - 1, size, nodes).map(hex));
}

/** The consistency proof from the tree of `from` events to the tree of `to`, hex hashes. */
export async function proveConsistency(store: Store, from: number, to: number): Promise<string[]> {
  const nodes = await readNodes(store, consistencyProofNodes(from, to));
  return consistencyProof(from, to, nodes).map(hex);
}

async function readNodes(store: Store, ids: readonly MerkleNodeId[]): Promise<Map<string, Hash>> {
  const unique = [...new Map(ids.map((id) => [nodeKey(id), id])).values()];
  return unique.length === 0 ? new Map() : store.auditTreeNodes(unique);
}

function required(nodes: ReadonlyMap<string, Hash>, id: MerkleNodeId): Hash {
  const hash = nodes.get(nodeKey(id));
  if (!hash) throw new Error(`Merkle node ${nodeKey(id)} is missing from the store`);
  return hash;
}

function hex(hash: Hash): string {
  return Buffer.from(hash).toString("hex");
}
