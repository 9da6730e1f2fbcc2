/**
 * The Merkle format of published datanet versions, in one place for tasks, tests and dapps.
 *
 * A version's tree is OpenZeppelin's StandardMerkleTree over the accepted contribution ids of one datanet, one
 * leaf per id with leaf encoding ["uint256"]:
 *   leaf = keccak256(bytes.concat(keccak256(abi.encode(uint256 contributionId))))
 * which is exactly what DatanetRegistry.verifyInclusion recomputes on-chain (OpenZeppelin's MerkleProof: pairs
 * hashed in sorted order). The tree, its root, its proofs and its JSON dump ("standard-v1") are byte for byte those
 * of `StandardMerkleTree.of(ids.map((id) => [id.toString()]), ["uint256"])` (a differential test holds it), so a
 * tree file loads in OpenZeppelin's library and back. Implemented here over ethers because the library's
 * dependencies weigh about 140 kB in a dapp's bundle, for one leaf type.
 *
 * Layout: the n sorted leaf hashes fill the last n slots of a (2n − 1)-slot array in reverse, and each inner node
 * i is hash(sorted(tree[2i + 1], tree[2i + 2])); the root is tree[0]. `values` keeps the ids in the order given,
 * each with its slot.
 */
import { AbiCoder, concat, getBytes, keccak256 } from "ethers";

export const CONTRIBUTION_LEAF_ENCODING = ["uint256"];

const coder = AbiCoder.defaultAbiCoder();

/** A tree in OpenZeppelin's StandardMerkleTree dump format, values as decimal id strings. */
export interface ContributionTreeDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: { value: [string]; treeIndex: number }[];
}

/** The leaf of a contribution id: keccak256(bytes.concat(keccak256(abi.encode(id)))). */
export function contributionLeaf(contributionId: bigint): string {
  return keccak256(keccak256(coder.encode(["uint256"], [contributionId])));
}

function compareBytes(a: string, b: string): number {
  const x = getBytes(a);
  const y = getBytes(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return x.length - y.length;
}

/** OpenZeppelin's commutative pair hash: keccak256 of the two nodes, smaller first. */
function hashPair(a: string, b: string): string {
  return keccak256(concat(compareBytes(a, b) <= 0 ? [a, b] : [b, a]));
}

/** A datanet version's tree over contribution ids. */
export class ContributionTree {
  private constructor(
    private readonly nodes: readonly string[],
    private readonly values: readonly { id: bigint; treeIndex: number }[],
  ) {}

  /** Builds the tree over `contributionIds` (duplicates are an error; an empty list too). */
  static of(contributionIds: Iterable<bigint>): ContributionTree {
    const ids = [...contributionIds];
    if (ids.length === 0) throw new Error("A datanet version needs at least one accepted contribution.");
    const seen = new Set<bigint>();
    for (const id of ids) {
      if (id < 0n || id >= 2n ** 256n) throw new Error(`${id} is not a contribution id.`);
      if (seen.has(id)) throw new Error(`Contribution ${id} appears twice.`);
      seen.add(id);
    }
    const leaves = ids.map((id, i) => ({ i, hash: contributionLeaf(id) })).sort((a, b) => compareBytes(a.hash, b.hash));
    const nodes: string[] = new Array<string>(2 * leaves.length - 1);
    leaves.forEach((leaf, k) => (nodes[nodes.length - 1 - k] = leaf.hash));
    for (let i = nodes.length - 1 - leaves.length; i >= 0; i--) {
      nodes[i] = hashPair(nodes[2 * i + 1]!, nodes[2 * i + 2]!);
    }
    const slots = new Array<number>(ids.length);
    leaves.forEach((leaf, k) => (slots[leaf.i] = nodes.length - 1 - k));
    return new ContributionTree(
      nodes,
      ids.map((id, i) => ({ id, treeIndex: slots[i]! })),
    );
  }

  /** Loads a dump, refusing anything that is not a consistent contribution tree. */
  static load(data: unknown): ContributionTree {
    const dump = data as Partial<ContributionTreeDump> | null;
    if (dump === null || typeof dump !== "object" || dump.format !== "standard-v1") {
      throw new Error(`Not a standard-v1 Merkle tree dump.`);
    }
    if (JSON.stringify(dump.leafEncoding) !== JSON.stringify(CONTRIBUTION_LEAF_ENCODING)) {
      throw new Error(`Not a contribution tree: leaf encoding ${JSON.stringify(dump.leafEncoding)}.`);
    }
    const nodes = dump.tree;
    const values = dump.values;
    if (!Array.isArray(nodes) || !Array.isArray(values) || values.length === 0) {
      throw new Error("The dump has no tree or no values.");
    }
    if (!nodes.every((n) => typeof n === "string" && /^0x[0-9a-fA-F]{64}$/.test(n))) {
      throw new Error("Every node of the tree must be 32 bytes of hex.");
    }
    const parsed = values.map((v) => {
      const text = Array.isArray(v?.value) ? v.value[0] : undefined;
      if (typeof text !== "string" || !/^\d{1,78}$/.test(text) || !Number.isInteger(v.treeIndex)) {
        throw new Error(`Invalid value ${JSON.stringify(v)}.`);
      }
      return { id: BigInt(text), treeIndex: v.treeIndex };
    });
    const tree = new ContributionTree(nodes, parsed);
    tree.validate();
    return tree;
  }

  /** The root DatanetRegistry.publishVersion records. */
  get root(): string {
    return this.nodes[0]!;
  }

  /** The contribution ids in the tree, in the order given when it was built. */
  get contributionIds(): bigint[] {
    return this.values.map((v) => v.id);
  }

  /** The proof of `contributionId`'s inclusion, or undefined when it is not a leaf. */
  proof(contributionId: bigint): string[] | undefined {
    const value = this.values.find((v) => v.id === contributionId);
    if (value === undefined) return undefined;
    const proof: string[] = [];
    for (let i = value.treeIndex; i > 0; i = Math.floor((i - 1) / 2)) {
      proof.push(this.nodes[i % 2 === 1 ? i + 1 : i - 1]!);
    }
    return proof;
  }

  /** Checks that every leaf is its value's and every inner node the hash of its children. */
  validate(): void {
    const n = this.nodes.length;
    if (n !== 2 * this.values.length - 1) throw new Error("The tree's size does not match its values.");
    for (const { id, treeIndex } of this.values) {
      if (treeIndex < n - this.values.length || treeIndex >= n) throw new Error(`Value ${id} is not at a leaf.`);
      if (this.nodes[treeIndex] !== contributionLeaf(id)) throw new Error(`The leaf of contribution ${id} is wrong.`);
    }
    for (let i = n - 1 - this.values.length; i >= 0; i--) {
      if (this.nodes[i] !== hashPair(this.nodes[2 * i + 1]!, this.nodes[2 * i + 2]!)) {
        throw new Error(`Node ${i} is not the hash of its children.`);
      }
    }
  }

  /** The JSON form, OpenZeppelin's StandardMerkleTree dump format. */
  dump(): ContributionTreeDump {
    return {
      format: "standard-v1",
      leafEncoding: [...CONTRIBUTION_LEAF_ENCODING],
      tree: [...this.nodes],
      values: this.values.map((v) => ({ value: [v.id.toString()], treeIndex: v.treeIndex })),
    };
  }
}

/** Builds the tree over `contributionIds`, in increasing id order (any order given; duplicates are an error). */
export function buildContributionTree(contributionIds: Iterable<bigint>): ContributionTree {
  return ContributionTree.of([...contributionIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The proof of `contributionId`'s inclusion, or undefined when it is not a leaf. */
export function contributionProof(tree: ContributionTree, contributionId: bigint): string[] | undefined {
  return tree.proof(contributionId);
}

/** The contribution ids in the tree, ascending. */
export function contributionIds(tree: ContributionTree): bigint[] {
  return tree.contributionIds.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** JSON form of a tree (OpenZeppelin's dump format), for files and for serving proofs. */
export function dumpContributionTree(tree: ContributionTree): ContributionTreeDump {
  return tree.dump();
}

/** Loads a tree from its JSON form and checks that it is a contribution tree. */
export function loadContributionTree(data: unknown): ContributionTree {
  return ContributionTree.load(data);
}
