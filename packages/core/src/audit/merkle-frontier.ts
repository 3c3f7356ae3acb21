import {
  EMPTY_TREE_ROOT,
  type Hash,
  type MerkleNode,
  type MerkleNodeId,
  merkleNodeHash,
} from "./merkle-hash.ts";

/**
 * The right edge of a tree of `size` leaves: one complete subtree per set bit
 * of `size`, largest first. That is all a writer needs to append leaves and
 * to compute the root.
 */
export function frontierIds(size: number): MerkleNodeId[] {
  const ids: MerkleNodeId[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (Math.floor(size / width) % 2 === 1) {
      ids.push({ level, index: start / width });
      start += width;
    }
  }
  return ids;
}

/**
 * Appends leaves to a tree whose right edge is `frontier` (from `frontierIds`):
 * returns every complete subtree the new leaves make (leaves included), in the
 * order they complete, and the new right edge.
 */
export function appendLeaves(
  frontier: readonly MerkleNode[],
  size: number,
  leaves: readonly Hash[],
): { nodes: MerkleNode[]; frontier: MerkleNode[] } {
  const stack = [...frontier];
  const nodes: MerkleNode[] = [];
  let index = size;
  for (const leaf of leaves) {
    let node: MerkleNode = { level: 0, index, hash: leaf };
    nodes.push(node);
    while (stack.length > 0 && stack.at(-1)!.level === node.level) {
      const left = stack.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: merkleNodeHash(left.hash, node.hash) };
      nodes.push(node);
    }
    stack.push(node);
    index++;
  }
  return { nodes, frontier: stack };
}

/** The tree's root from its right edge (RFC 9162 MTH). */
export function frontierRoot(frontier: readonly MerkleNode[]): Hash {
  if (frontier.length === 0) return EMPTY_TREE_ROOT;
  let root = frontier.at(-1)!.hash;
  for (let position = frontier.length - 2; position >= 0; position--) {
    root = merkleNodeHash(frontier[position]!.hash, root);
  }
  return root;
}
