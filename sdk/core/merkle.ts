/**
 * The Merkle format of published datanet versions, in one place for tasks, tests and dapps.
 *
 * A version's tree is OpenZeppelin's StandardMerkleTree over the accepted contribution ids of one
 * datanet, one leaf per id with leaf encoding ["uint256"]:
 *   leaf = keccak256(bytes.concat(keccak256(abi.encode(uint256 contributionId))))
 * which is exactly what DatanetRegistry.verifyInclusion recomputes on-chain.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

export const CONTRIBUTION_LEAF_ENCODING = ["uint256"];

/** A datanet version's tree; values are decimal id strings so the tree serialises to JSON as is. */
export type ContributionTree = StandardMerkleTree<[string]>;

/** Builds the tree over `contributionIds` (any order; duplicates are an error). */
export function buildContributionTree(contributionIds: Iterable<bigint>): ContributionTree {
  const ids = [...contributionIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length === 0) throw new Error("A datanet version needs at least one accepted contribution.");
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === ids[i - 1]) throw new Error(`Contribution ${ids[i]} appears twice.`);
  }
  return StandardMerkleTree.of(
    ids.map((id) => [id.toString()] as [string]),
    CONTRIBUTION_LEAF_ENCODING,
  );
}

/** The proof of `contributionId`'s inclusion, or undefined when it is not a leaf. */
export function contributionProof(tree: ContributionTree, contributionId: bigint): string[] | undefined {
  const value = contributionId.toString();
  for (const [index, [leaf]] of tree.entries()) {
    if (leaf === value) return tree.getProof(index);
  }
  return undefined;
}

/** The contribution ids in the tree, ascending. */
export function contributionIds(tree: ContributionTree): bigint[] {
  return [...tree.entries()].map(([, [id]]) => BigInt(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** JSON form of a tree (OpenZeppelin's dump format), for files and for serving proofs. */
export function dumpContributionTree(tree: ContributionTree): ReturnType<ContributionTree["dump"]> {
  return tree.dump();
}

/** Loads a tree from its JSON form and checks that it is a contribution tree. */
export function loadContributionTree(data: unknown): ContributionTree {
  const tree = StandardMerkleTree.load(data as Parameters<typeof StandardMerkleTree.load<[string]>>[0]);
  const encoding = (data as { leafEncoding?: unknown }).leafEncoding;
  if (JSON.stringify(encoding) !== JSON.stringify(CONTRIBUTION_LEAF_ENCODING)) {
    throw new Error(`Not a contribution tree: leaf encoding ${JSON.stringify(encoding)}.`);
  }
  tree.validate();
  return tree;
}
