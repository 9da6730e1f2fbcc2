/**
 * The contribution tree is OpenZeppelin's StandardMerkleTree over ["uint256"], reimplemented over ethers to keep the
 * library's dependencies out of dapps' bundles: checked here against the library itself, byte for byte (root,
 * proofs, dump), on random id sets. test/registry/DatanetRegistry.test.ts checks those proofs on chain.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";

import {
  ContributionTree,
  buildContributionTree,
  contributionIds,
  contributionProof,
  loadContributionTree,
} from "../../sdk/core/merkle.js";

/** A small deterministic generator, so a failure names its seed. */
function* random(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    yield x;
  }
}

function idSet(seed: number): bigint[] {
  const next = random(seed);
  const size = 1 + (next.next().value % 40);
  const ids = new Set<bigint>();
  while (ids.size < size) {
    const r = next.next().value;
    ids.add(r % 3 === 0 ? BigInt(r) * 2n ** 200n : BigInt(1 + (r % 5_000)));
  }
  return [...ids];
}

describe("SDK contribution trees", () => {
  for (let seed = 1; seed <= 60; seed++) {
    it(`match OpenZeppelin's StandardMerkleTree (seed ${seed})`, () => {
      const ids = idSet(seed);
      const ours = ContributionTree.of(ids);
      const theirs = StandardMerkleTree.of(
        ids.map((id) => [id.toString()]),
        ["uint256"],
      );
      expect(ours.root).to.equal(theirs.root);
      expect(JSON.stringify(ours.dump())).to.equal(JSON.stringify(theirs.dump()));
      for (const [index, [value]] of theirs.entries()) {
        expect(ours.proof(BigInt(value!))).to.deep.equal(theirs.getProof(index));
      }
      // Each loads the other's dump.
      expect(StandardMerkleTree.load(ours.dump() as never).root).to.equal(theirs.root);
      expect(loadContributionTree(theirs.dump()).root).to.equal(ours.root);
    });
  }

  it("builds datanet versions in increasing id order, and lists them ascending", () => {
    const tree = buildContributionTree([9n, 2n, 5n]);
    expect(tree.contributionIds).to.deep.equal([2n, 5n, 9n]);
    expect(contributionIds(tree)).to.deep.equal([2n, 5n, 9n]);
    expect(contributionProof(tree, 4n)).to.equal(undefined);
  });

  it("refuses empty and duplicate id lists, and tampered or foreign dumps", () => {
    expect(() => buildContributionTree([])).to.throw("at least one accepted contribution");
    expect(() => buildContributionTree([3n, 3n])).to.throw("Contribution 3 appears twice");
    const dump = buildContributionTree([1n, 2n, 3n]).dump();
    expect(() => loadContributionTree({ ...dump, tree: [dump.tree[1], ...dump.tree.slice(1)] })).to.throw(
      "Node 0 is not the hash of its children",
    );
    expect(() =>
      loadContributionTree({ ...dump, values: dump.values.map((v, i) => (i === 0 ? { ...v, value: ["7"] } : v)) }),
    ).to.throw("The leaf of contribution 7 is wrong");
    expect(() => loadContributionTree({ ...dump, leafEncoding: ["address"] })).to.throw("Not a contribution tree");
    expect(() => loadContributionTree({ format: "simple-v1" })).to.throw("Not a standard-v1");
  });
});
