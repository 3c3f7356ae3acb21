import { describe, expect, it } from "vitest";
import { appendLeaves, frontierIds, frontierRoot } from "./merkle-frontier.ts";
import {
  EMPTY_TREE_ROOT,
  type Hash,
  largestPowerOfTwoBelow,
  type MerkleNode,
  merkleLeafHash,
  merkleNodeHash,
  nodeKey,
} from "./merkle-hash.ts";
import {
  consistencyProof,
  consistencyProofNodes,
  inclusionProof,
  inclusionProofNodes,
  verifyConsistency,
  verifyInclusion,
} from "./merkle-proofs.ts";

/** RFC 9162 §2.1.1 MTH, straight from the definition. */
function naiveRoot(leaves: Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_TREE_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = largestPowerOfTwoBelow(leaves.length);
  return merkleNodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

const leaves = Array.from({ length: 70 }, (_, index) => merkleLeafHash(`event ${index}`));

/** Grows a tree leaf by leaf as a store does, keeping every complete subtree it makes. */
function grow(count: number) {
  const stored = new Map<string, Hash>();
  let frontier: MerkleNode[] = [];
  const roots: Hash[] = [EMPTY_TREE_ROOT];
  for (let size = 0; size < count; size++) {
    const step = appendLeaves(frontier, size, [leaves[size]!]);
    for (const node of step.nodes) stored.set(nodeKey(node), node.hash);
    frontier = step.frontier;
    roots.push(frontierRoot(frontier));
  }
  return { stored, roots, frontier };
}

describe("Merkle tree (RFC 9162)", () => {
  const { stored, roots } = grow(leaves.length);

  it("computes the same root as the definition for every size, and its right edge from the stored nodes", () => {
    for (let size = 0; size <= leaves.length; size++) {
      expect(Buffer.from(roots[size]!)).toEqual(Buffer.from(naiveRoot(leaves.slice(0, size))));
      const edge = frontierIds(size).map((id) => ({ ...id, hash: stored.get(nodeKey(id))! }));
      expect(Buffer.from(frontierRoot(edge))).toEqual(Buffer.from(roots[size]!));
    }
  });

  it("proves every leaf of every tree size, and refuses a wrong leaf, index or root", () => {
    for (let size = 1; size <= leaves.length; size++) {
      for (let leaf = 0; leaf < size; leaf++) {
        for (const id of inclusionProofNodes(leaf, size)) expect(stored.has(nodeKey(id))).toBe(true);
        const proof = inclusionProof(leaf, size, stored);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(verifyInclusion(leaf, size, leaves[leaf]!, proof, roots[size]!)).toBe(true);
        expect(verifyInclusion(leaf, size, merkleLeafHash("forged"), proof, roots[size]!)).toBe(false);
        if (size > 1) {
          expect(verifyInclusion((leaf + 1) % size, size, leaves[leaf]!, proof, roots[size]!)).toBe(false);
          expect(verifyInclusion(leaf, size, leaves[leaf]!, proof, roots[size - 1]!)).toBe(false);
        }
      }
    }
  });

  it("proves every smaller tree a prefix of every larger one, and refuses a rewritten prefix", () => {
    for (let to = 1; to <= 40; to++) {
      for (let from = 1; from <= to; from++) {
        for (const id of consistencyProofNodes(from, to)) expect(stored.has(nodeKey(id))).toBe(true);
        const proof = consistencyProof(from, to, stored);
        expect(verifyConsistency(from, to, roots[from]!, roots[to]!, proof)).toBe(true);
        const rewritten = naiveRoot([merkleLeafHash("rewritten"), ...leaves.slice(1, from)]);
        expect(verifyConsistency(from, to, rewritten, roots[to]!, proof)).toBe(false);
        if (from < to) expect(verifyConsistency(from, to, roots[from]!, roots[to - 1]!, proof)).toBe(false);
      }
    }
  });
});
