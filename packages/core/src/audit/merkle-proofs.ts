import {
  type Hash,
  largestPowerOfTwoBelow,
  type MerkleNodeId,
  merkleNodeHash,
  nodeKey,
  rangeHash,
  rangeNodes,
  sameHash,
} from "./merkle-hash.ts";

/** A leaf range [start, end) whose hash is one element of a proof. */
type Range = readonly [start: number, end: number];

/** RFC 9162 §2.1.3.1 PATH(m, D[start:end]), as the ranges whose hashes form it, leaf side first. */
function inclusionRanges(leaf: number, start: number, end: number): Range[] {
  if (end - start <= 1) return [];
  const k = largestPowerOfTwoBelow(end - start);
  return leaf < start + k
    ? [...inclusionRanges(leaf, start, start + k), [start + k, end]]
    : [...inclusionRanges(leaf, start + k, end), [start, start + k]];
}

/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[start:end], b). */
function consistencyRanges(m: number, start: number, end: number, whole: boolean): Range[] {
  const size = end - start;
  if (m === size) return whole ? [] : [[start, end]];
  const k = largestPowerOfTwoBelow(size);
  return m <= k
    ? [...consistencyRanges(m, start, start + k, whole), [start + k, end]]
    : [...consistencyRanges(m - k, start + k, end, false), [start, start + k]];
}

/** The complete subtrees a store must read to prove leaf `leaf` in a tree of `size`. */
export function inclusionProofNodes(leaf: number, size: number): MerkleNodeId[] {
  return uniqueNodes(inclusionRanges(leaf, 0, size));
}

/** The complete subtrees a store must read to prove a tree of `from` leaves is a prefix of one of `to`. */
export function consistencyProofNodes(from: number, to: number): MerkleNodeId[] {
  if (from <= 0 || from >= to) return [];
  return uniqueNodes(consistencyRanges(from, 0, to, true));
}

export function inclusionProof(leaf: number, size: number, nodes: ReadonlyMap<string, Hash>): Hash[] {
  return inclusionRanges(leaf, 0, size).map(([start, end]) => rangeHash(start, end, reader(nodes)));
}

export function consistencyProof(from: number, to: number, nodes: ReadonlyMap<string, Hash>): Hash[] {
  if (from <= 0 || from >= to) return [];
  return consistencyRanges(from, 0, to, true).map(([start, end]) => rangeHash(start, end, reader(nodes)));
}

function uniqueNodes(ranges: Range[]): MerkleNodeId[] {
  const seen = new Map<string, MerkleNodeId>();
  for (const [start, end] of ranges) {
    for (const id of rangeNodes(start, end)) seen.set(nodeKey(id), id);
  }
  return [...seen.values()];
}

function reader(nodes: ReadonlyMap<string, Hash>) {
  return (id: MerkleNodeId): Hash => {
    const hash = nodes.get(nodeKey(id));
    if (!hash) throw new Error(`Merkle node ${nodeKey(id)} is missing from the store`);
    return hash;
  };
}

/** RFC 9162 §2.1.3.2: does `proof` place `leafHash` at `leaf` in the tree of `size` whose root is `root`? */
export function verifyInclusion(
  leaf: number,
  size: number,
  leafHash: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (leaf < 0 || leaf >= size) return false;
  let fn = leaf;
  let sn = size - 1;
  let hash = leafHash;
  for (const sibling of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = merkleNodeHash(sibling, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      hash = merkleNodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(hash, root);
}

/** RFC 9162 §2.1.4.2: is the tree (`from`, `fromRoot`) a prefix of (`to`, `toRoot`)? */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Hash,
  toRoot: Hash,
  proof: readonly Hash[],
): boolean {
  if (from < 0 || to < from) return false;
  if (from === to) return proof.length === 0 && sameHash(fromRoot, toRoot);
  if (from === 0) return proof.length === 0;
  const path = (from & (from - 1)) === 0 ? [fromRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = merkleNodeHash(c, fr);
      sr = merkleNodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = merkleNodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(fr, fromRoot) && sameHash(sr, toRoot);
}
