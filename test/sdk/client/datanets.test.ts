/**
 * The client's datanets (sdk/client/datanets.ts) on the in-process network: each wrong id, state, amount or role
 * is refused with a ProtocolError before any transaction is sent, a revert the client could not foresee is
 * decoded into one, and the happy paths produce what the registry records.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { toProtocolError } from "../../../sdk/core/errors.js";
import {
  contributionIds,
  contributionProof,
  dumpContributionTree,
  loadContributionTree,
} from "../../../sdk/core/merkle.js";
import type { Connection } from "../../fixtures/protocol.js";
import { defined } from "../../helpers/constants.js";
import { contentHash as hashOf, fundedSuite, refusal } from "./suite.js";

const connection = await network.create();
const { networkHelpers } = connection;
const OPEN = 10n ** 18n;
const content = (text: string, size = 1n) => ({ contentHash: hashOf(text), size });

/** The funded suite and datanet 1, owned by alice, with a bond of 10 OPEN. */
async function suiteWithDatanet(conn: Connection) {
  const suite = await fundedSuite(conn);
  const { datanetId } = await suite.client(suite.alice).datanets.create("ipfs://legal.json", 10n * OPEN);
  return { ...suite, datanetId };
}

/** Plus four Pending contributions by bob: "a", "b", "c" and "d". */
async function withContributions(conn: Connection) {
  const suite = await suiteWithDatanet(conn);
  const bob = suite.client(suite.bob);
  const ids: bigint[] = [];
  for (const text of ["a", "b", "c", "d"]) {
    ids.push((await bob.datanets.contribute(suite.datanetId, content(text), `ipfs://${text}`)).contributionId);
  }
  return { ...suite, ids };
}

describe("client datanets", () => {
  it("refuses a bond outside the governance bounds", async () => {
    const f = await networkHelpers.loadFixture(suiteWithDatanet);
    await refusal(f.client(f.alice).datanets.create("x", 20_000n * OPEN), "BondOutOfBounds", {
      bond: 20_000n * OPEN,
      min: OPEN,
      max: 10_000n * OPEN,
    });
  });

  it("lets only the owner change curators, and never removes the owner", async () => {
    const f = await networkHelpers.loadFixture(suiteWithDatanet);
    const alice = f.client(f.alice);
    const notOwner = await refusal(
      f.client(f.bob).datanets.setCurator(f.datanetId, f.bob.address, true),
      "NotDatanetOwner",
      { datanetId: f.datanetId, owner: f.alice.address },
    );
    expect(notOwner.message).to.match(/Only the owner of datanet 1/);
    const owner = await refusal(alice.datanets.setCurator(f.datanetId, f.alice.address, false), "OwnerIsCurator");
    expect(owner.message).to.equal("The owner of datanet 1 is always a curator.");
    await refusal(alice.datanets.setCurator(f.datanetId, f.bob.address, false), "NotACuratorToRemove");
    await alice.datanets.setCurator(f.datanetId, f.bob.address, true);
    expect(await f.datanetRegistry.isCurator(f.datanetId, f.bob)).to.equal(true);
    const twice = await refusal(alice.datanets.setCurator(f.datanetId, f.bob.address, true), "AlreadyACurator");
    expect(twice.message).to.equal(`${f.bob.address} is already a curator of datanet 1: there is nothing to add.`);
    expect((await alice.datanets.datanet(f.datanetId)).curators).to.deep.equal([f.alice.address, f.bob.address]);
  });

  it("contributes with a permit when the allowance is short, then refuses the same content as redundant", async () => {
    const f = await networkHelpers.loadFixture(suiteWithDatanet);
    const bob = f.client(f.bob);
    const first = await bob.datanets.contribute(f.datanetId, content("case 1", 6n), "ipfs://1");
    expect(first).to.include({ usedPermit: true, bond: 10n * OPEN, contentHash: hashOf("case 1"), size: 6n });
    const again = await refusal(
      bob.datanets.contribute(f.datanetId, content("case 1", 6n), "ipfs://again"),
      "RedundantContribution",
      { datanetId: f.datanetId, contributionId: first.contributionId },
    );
    expect(again.message).to.equal(
      `This content is already contribution ${first.contributionId} of datanet 1: it would be redundant.`,
    );
    // The same content given as its bytes hashes to the same content hash.
    await refusal(
      bob.datanets.contribute(f.datanetId, { bytes: new TextEncoder().encode("case 1") }, "u"),
      "RedundantContribution",
    );
  });

  it("caps the bond at maxBond (default: the bond now), before sending and in the contract", async () => {
    const f = await networkHelpers.loadFixture(suiteWithDatanet);
    const alice = f.client(f.alice);
    const bob = f.client(f.bob);
    const first = await bob.datanets.contribute(f.datanetId, content("capped", 6n), "ipfs://1");
    expect(first.maxBond).to.equal(10n * OPEN);
    expect((await alice.datanets.setBond(f.datanetId, 20n * OPEN)).previous).to.equal(10n * OPEN);
    await refusal(
      bob.datanets.contribute(f.datanetId, content("raised", 6n), "ipfs://2", { maxBond: 10n * OPEN }),
      "DatanetBondAboveMax",
      { datanetId: f.datanetId, bond: 20n * OPEN, maxBond: 10n * OPEN },
    );
    // A raise that lands between the check and the transaction: the registry refuses it and pulls nothing.
    const raced = await bob.contracts.datanetRegistry
      .contribute(f.datanetId, hashOf("raced"), "ipfs://3", 6n, 10n * OPEN)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const decoded = defined(toProtocolError(raced), "the decoded revert");
    expect(decoded.code).to.equal("DatanetRegistryBondAboveMax");
    expect(decoded.args).to.deep.include({ bond: 20n * OPEN, maxBond: 10n * OPEN });
    expect(decoded.reverted).to.equal(true);
    expect(decoded.message).to.equal(
      "The datanet's bond is now 20 OPEN, above the 10 OPEN the contributor accepts: nothing was pulled.",
    );
    const accepted = await bob.datanets.contribute(f.datanetId, content("accepted", 6n), "ipfs://4", {
      maxBond: 25n * OPEN,
    });
    expect([accepted.bond, accepted.maxBond]).to.deep.equal([20n * OPEN, 25n * OPEN]);
  });

  it("refuses a review larger than the registry's batch limit", async () => {
    const f = await networkHelpers.loadFixture(suiteWithDatanet);
    const max = await f.datanetRegistry.MAX_REVIEW_BATCH();
    const ids = Array.from({ length: Number(max) + 1 }, (_, i) => BigInt(i + 1));
    const e = await refusal(f.client(f.alice).datanets.review(ids, []), "ReviewTooLarge", {
      count: BigInt(ids.length),
      max,
    });
    expect(e.message).to.equal(`A review holds at most ${max} contributions, not ${ids.length}; review them in parts.`);
  });

  it("refuses an unknown or closed datanet, a zero or malformed hash and a bond the contributor cannot pay", async () => {
    const f = await networkHelpers.loadFixture(suiteWithDatanet);
    const bob = f.client(f.bob);
    const unknown = await refusal(bob.datanets.contribute(9n, content("x"), "u"), "UnknownDatanet", {
      datanetId: 9n,
    });
    expect(unknown.message).to.equal("There is no datanet 9.");
    const zero = await refusal(
      bob.datanets.contribute(f.datanetId, { contentHash: "0x" + "00".repeat(32), size: 1n }, "u"),
      "ZeroContentHash",
    );
    expect(zero.message).to.equal("The content hash must not be zero.");
    await refusal(bob.datanets.contribute(f.datanetId, { contentHash: "0x12", size: 1n }, "u"), "InvalidContentHash");
    await refusal(bob.datanets.contribute(f.datanetId, { bytes: new Uint8Array() }, "u"), "EmptyContent");
    const poor = f.client(defined(f.others[4], "an account without OPEN"));
    const broke = await refusal(poor.datanets.contribute(f.datanetId, content("y"), "u"), "InsufficientBalance", {
      balance: 0n,
      needed: 10n * OPEN,
    });
    expect(broke.message).to.match(/holds 0 OPEN, less than the 10 OPEN bond of datanet 1/);
    await f.client(f.alice).datanets.setOpen(f.datanetId, false);
    const closed = await refusal(bob.datanets.contribute(f.datanetId, content("z"), "u"), "DatanetClosed");
    expect(closed.message).to.equal("Datanet 1 is closed to contributions.");
    await refusal(f.client(f.alice).datanets.setOpen(f.datanetId, false), "DatanetAlreadyClosed");
  });

  it("reviews a batch, refusing non-curators, non-pending items, duplicates and mixed datanets", async () => {
    const f = await networkHelpers.loadFixture(withContributions);
    const alice = f.client(f.alice);
    const bob = f.client(f.bob);
    const [a, b, c, d] = f.ids as [bigint, bigint, bigint, bigint];
    const notCurator = await refusal(bob.datanets.review([a], []), "NotCurator", {
      account: f.bob.address,
      datanetId: f.datanetId,
    });
    expect(notCurator.message).to.equal(`${f.bob.address} is not a curator of datanet 1.`);
    await refusal(alice.datanets.review([], []), "NothingToReview");
    const twice = await refusal(alice.datanets.review([a], [a]), "ListedTwice", { contributionId: a });
    expect(twice.message).to.equal(`Contribution ${a} is listed twice.`);
    const missing = await refusal(alice.datanets.review([99n], []), "UnknownContribution");
    expect(missing.message).to.equal("There is no contribution 99.");
    const { datanetId: other } = await bob.datanets.create("other", OPEN);
    const elsewhere = (await bob.datanets.contribute(other, content("elsewhere"), "u")).contributionId;
    const mixed = await refusal(alice.datanets.review([a, elsewhere], []), "MixedDatanets", {
      contributionId: elsewhere,
      datanetId: other,
      expected: f.datanetId,
    });
    expect(mixed.message).to.match(/is in datanet 2, not 1/);

    const result = await alice.datanets.review([a, b, d], [c]);
    expect(result).to.include({ datanetId: f.datanetId, accepted: 3, rejected: 1, slashed: 10n * OPEN });
    expect(await f.datanetRegistry.refundOf(f.bob)).to.equal(30n * OPEN);
    expect((await bob.rewards.claimable()).refunds).to.equal(30n * OPEN);
    const reviewed = await refusal(alice.datanets.review([a], []), "WrongContributionStatus", {
      status: "Accepted",
      required: "Pending",
    });
    expect(reviewed.message).to.equal(`Contribution ${a} is Accepted; only Pending contributions can be reviewed.`);
    expect((await bob.datanets.claimRefund()).amount).to.equal(30n * OPEN);
    await refusal(bob.datanets.claimRefund(), "NoRefunds", { account: f.bob.address });
  });

  it("penalizes only accepted contributions, as a curator", async () => {
    const f = await networkHelpers.loadFixture(withContributions);
    const alice = f.client(f.alice);
    const [a, b] = f.ids as [bigint, bigint];
    const pending = await refusal(alice.datanets.penalize(a, "x"), "WrongContributionStatus", {
      status: "Pending",
      required: "Accepted",
    });
    expect(pending.message).to.match(/is Pending; only Accepted contributions can be penalized/);
    await alice.datanets.review([a, b], []);
    const bob = await refusal(f.client(f.bob).datanets.penalize(a, "x"), "NotCuratorToPenalize");
    expect(bob.message).to.match(/is not a curator of datanet 1; governance can penalize/);
    await alice.datanets.penalize(a, "poisoned labels");
    expect((await alice.datanets.contributionsByStatus(1n)).get("Penalized")?.map((c) => c.id)).to.deep.equal([a]);
  });

  it("publishes a version over the accepted (not penalized) contributions whose proofs verify on-chain", async () => {
    const f = await networkHelpers.loadFixture(withContributions);
    const alice = f.client(f.alice);
    const empty = await refusal(
      alice.datanets.publishVersion(f.datanetId, () => "u"),
      "NothingToPublish",
    );
    expect(empty.message).to.equal("Datanet 1 has no accepted contributions to publish.");
    const [a, b, c, d] = f.ids as [bigint, bigint, bigint, bigint];
    await alice.datanets.review([a, b, d], [c]);
    await alice.datanets.penalize(b, "adversarial");
    const published = await alice.datanets.publishVersion(f.datanetId, (v) => `ipfs://tree-v${v}`);
    expect(published.version).to.equal(1n);
    expect(contributionIds(published.tree)).to.deep.equal([a, d]);
    const onChain = await f.datanetRegistry.getVersion(f.datanetId, 1n);
    expect(onChain.merkleRoot).to.equal(published.root);
    expect(onChain.uri).to.equal("ipfs://tree-v1");
    const shown = await alice.datanets.datanet(f.datanetId);
    expect(shown.versions.map((v) => [v.version, v.merkleRoot, v.count, v.uri])).to.deep.equal([
      [1n, published.root, 2n, "ipfs://tree-v1"],
    ]);

    const reloaded = loadContributionTree(JSON.parse(JSON.stringify(dumpContributionTree(published.tree))));
    for (const id of [a, d]) {
      const proof = contributionProof(reloaded, id);
      expect(await f.datanetRegistry.verifyInclusion(f.datanetId, 1n, id, proof ?? [])).to.equal(true);
      const verified = await alice.datanets.verifyInclusion(f.datanetId, 1n, id, async () => reloaded);
      expect(verified.proof).to.deep.equal(proof);
    }
    expect(contributionProof(reloaded, b)).to.equal(undefined);
    await refusal(alice.datanets.verifyInclusion(f.datanetId, 1n, b, reloaded), "NotInVersion", {
      contributionId: b,
      version: 1n,
    });
    await refusal(alice.datanets.verifyInclusion(f.datanetId, 2n, a, reloaded), "UnknownVersion", {
      version: 2n,
      versions: 1n,
    });
  });
});
