import { createHash } from "node:crypto";

/**
 * The hashes of an RFC 9162 Merkle tree: `leaf = SHA-256(0x00 || data)`,
 * `node = SHA-256(0x01 || left || right)`, the empty tree's root `SHA-256("")`.
 * Synchronous (node:crypto) so a store can extend the tree inside a transaction.
 */
const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export type Hash = Uint8Array;

export const EMPTY_TREE_ROOT: Hash = createHash("sha256").digest();

export function merkleLeafHash(data: string | Uint8Array): Hash {
  return createHash("sha256").update(LEAF_PREFIX).update(data).digest();
}

export function merkleNodeHash(left: Hash, right: Hash): Hash {
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
}

/** `sha256:<hex>`, the form hashes take on the wire. */
export function formatHash(hash: Hash): string {
  return `sha256:${Buffer.from(hash).toString("hex")}`;
}

/** Parses `sha256:<hex>` or bare hex of 32 bytes; `null` otherwise. */
export function parseHash(text: string): Hash | null {
  const hex = text.startsWith("sha256:") ? text.slice(7) : text;
  return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, "hex") : null;
}

export function sameHash(left: Hash, right: Hash): boolean {
  return Buffer.compare(Buffer.from(left), Buffer.from(right)) === 0;
}

/**
 * A complete subtree: `level` 0 is a leaf, and node (level, index) covers the
 * leaves `[index·2^level, (index+1)·2^level)`. Complete subtrees never change
 * once the log has grown past them, so stores keep them as immutable rows.
 */
export interface MerkleNodeId {
  level: number;
  index: number;
}

export interface MerkleNode extends MerkleNodeId {
  hash: Hash;
}

export function nodeKey(id: MerkleNodeId): string {
  return `${id.level}:${id.index}`;
}

/** The largest power of two strictly below `n` (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete subtrees whose hashes give MTH(D[start:end]) — RFC 9162's
 * hash of a leaf range, for ranges its proofs use (start aligned to the
 * range's largest power of two). Left to right.
 */
export function rangeNodes(start: number, end: number): MerkleNodeId[] {
  const size = end - start;
  if (size <= 0) return [];
  if ((size & (size - 1)) === 0 && start % size === 0) {
    return [{ level: Math.log2(size), index: start / size }];
  }
  const k = largestPowerOfTwoBelow(size);
  return [...rangeNodes(start, start + k), ...rangeNodes(start + k, end)];
}

/** MTH(D[start:end]) from the complete subtrees `rangeNodes` named. */
export function rangeHash(start: number, end: number, lookup: (id: MerkleNodeId) => Hash): Hash {
  const size = end - start;
  if (size <= 0) return EMPTY_TREE_ROOT;
  if ((size & (size - 1)) === 0 && start % size === 0) {
    return lookup({ level: Math.log2(size), index: start / size });
  }
  const k = largestPowerOfTwoBelow(size);
  return merkleNodeHash(rangeHash(start, start + k, lookup), rangeHash(start + k, end, lookup));
}
