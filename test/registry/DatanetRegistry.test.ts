import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { AbiCoder, MaxUint256, ZeroAddress, ZeroHash, getAddress, keccak256, toBeHex } from "ethers";
import { network } from "hardhat";

import { TEST_REGISTRY_PARAMS, deployProtocol, type Connection } from "../fixtures/protocol.js";
import { DatanetRegistry__factory, type DatanetRegistry } from "../../types/ethers-contracts/index.js";
import { impersonate } from "../helpers/accounts.js";
import { frontRun, type TxFees } from "../helpers/blocks.js";
import { skipUnderCoverage } from "../helpers/coverage.js";
import { HOUR, defined, open } from "../helpers/constants.js";
import {
  ContributionStatus,
  Eligibility,
  attributionRecord,
  contentHash,
  decodeAttributionRecord,
  expectDatanetBondsConserved,
} from "../helpers/registries.js";
import { shouldBehaveLikeGovernanceOnly } from "../helpers/shouldBehaveLikeGovernanceOnly.js";
import { shouldBehaveLikeProtocolAdmin } from "../helpers/shouldBehaveLikeProtocolAdmin.js";
import { signOwnPermit } from "../helpers/signatures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const MIN_BOND = TEST_REGISTRY_PARAMS.minContributionBond;
const MAX_BOND = TEST_REGISTRY_PARAMS.maxContributionBond;
const MAX_CONTRIBUTION_BOND = open(1_000_000n);
/** EIP-7825's per-transaction gas cap, which Hardhat enforces. */
const TX_GAS_CAP = 16_777_216n;
const FUNDS = open(100_000n);
/** Datanet 1's contribution bond. */
const BOND = open(10n);
/** Datanet 2's contribution bond. */
const BOND_2 = open(25n);
const DATANET_URI = "ipfs://datanet-1/medical-imaging.json";
const DATANET_2_URI = "ipfs://datanet-2/legal-contracts.json";
const SIZE = 4_096n;
const H1 = contentHash("x-ray 1");
const H2 = contentHash("x-ray 2");
const H3 = contentHash("x-ray 3");
const H4 = contentHash("x-ray 4");
const ROOT = contentHash("some merkle root");
const VERSION_URI = "ipfs://datanet-1/v1.json";

function uriOf(hash: string): string {
  return `ipfs://content/${hash}`;
}

/**
 * The deployed protocol plus: alice, bob and carol funded with 100,000 OPEN each and with a standing unlimited
 * approval of the DatanetRegistry; dave funded but with no allowance (for permits); erin an unfunded stranger;
 * `governance`, a signer for the timelock (owner and treasury of the registry).
 */
async function registryFixture(conn: Connection) {
  const protocol = await deployProtocol(conn);
  const { openToken, datanetRegistry, timelock, alice, bob, carol, others } = protocol;
  const dave = defined(others[1], "dave signer");
  const erin = defined(others[2], "erin signer");
  const treasury = await timelock.getAddress();
  const governance = await impersonate(conn, treasury);
  for (const account of [alice, bob, carol, dave]) await openToken.transfer(account, FUNDS);
  for (const account of [alice, bob, carol]) await openToken.connect(account).approve(datanetRegistry, MaxUint256);
  return { ...protocol, dave, erin, treasury, governance };
}

type RegistryFixture = Awaited<ReturnType<typeof registryFixture>>;

/**
 * registryFixture plus datanet 1 (owner alice, bond 10 OPEN, carol added as curator) and datanet 2
 * (owner carol, bond 25 OPEN).
 */
async function datanetFixture(conn: Connection) {
  const f = await registryFixture(conn);
  await f.datanetRegistry.connect(f.alice).createDatanet(DATANET_URI, BOND);
  await f.datanetRegistry.connect(f.alice).setCurator(1n, f.carol, true);
  await f.datanetRegistry.connect(f.carol).createDatanet(DATANET_2_URI, BOND_2);
  return f;
}

/** datanetFixture plus bob's contribution 1 (H1) to datanet 1, pending. */
async function pendingFixture(conn: Connection) {
  const f = await datanetFixture(conn);
  await contribute(f.datanetRegistry, f.bob, 1n, H1);
  return f;
}

/** pendingFixture with contribution 1 accepted by alice: bob has 10 OPEN to claim. */
async function acceptedFixture(conn: Connection) {
  const f = await pendingFixture(conn);
  await f.datanetRegistry.connect(f.alice).review(1n, true);
  return f;
}

/**
 * datanetFixture plus five pending contributions: 1, 2, 3 by bob (H1, H2, H3) and 4 by carol (H4) to
 * datanet 1; 5 by bob (H1) to datanet 2.
 */
async function batchFixture(conn: Connection) {
  const f = await datanetFixture(conn);
  const registry = f.datanetRegistry;
  for (const hash of [H1, H2, H3]) await contribute(registry, f.bob, 1n, hash);
  await contribute(registry, f.carol, 1n, H4);
  await contribute(registry, f.bob, 2n, H1, BOND_2);
  return f;
}

/**
 * batchFixture with 1, 2, 3 (datanet 1) and 5 (datanet 2) accepted, 4 still pending; version 1 of
 * datanet 1 is the standard Merkle tree over [1, 2, 3].
 */
async function versionFixture(conn: Connection) {
  const f = await batchFixture(conn);
  const registry = f.datanetRegistry;
  await registry.connect(f.alice).reviewBatch([1n, 2n, 3n], [true, true, true]);
  await registry.connect(f.carol).review(5n, true);
  const tree = StandardMerkleTree.of(
    [1n, 2n, 3n].map((contributionId) => [contributionId]),
    ["uint256"],
  );
  await registry.connect(f.alice).publishVersion(1n, tree.root, 3n, VERSION_URI);
  return { ...f, tree };
}

/**
 * One contribution in every status: in datanet 1, 1 Accepted (bob), 2 Pending (bob), 3 Rejected (bob) and
 * 4 Penalized (carol); in datanet 2, 5 Accepted (bob).
 */
async function statusFixture(conn: Connection) {
  const f = await batchFixture(conn);
  const registry = f.datanetRegistry;
  await registry.connect(f.alice).reviewBatch([1n, 3n, 4n], [true, false, true]);
  await registry.connect(f.alice).penalize(4n, "poisoned labels");
  await registry.connect(f.carol).review(5n, true);
  return f;
}

/** A fresh account with ETH for gas and `amount` OPEN, approving the registry for all of it. */
async function freshContributor(f: RegistryFixture, index: number, amount: bigint): Promise<HardhatEthersSigner> {
  const address = getAddress(toBeHex(BigInt(keccak256(toBeHex(index + 1, 32))) >> 96n, 20));
  const signer = await impersonate(connection, address);
  await f.openToken.transfer(address, amount);
  await f.openToken.connect(signer).approve(f.datanetRegistry, MaxUint256);
  return signer;
}

/**
 * datanetFixture plus MAX_REVIEW_BATCH pending contributions to datanet 1 (ids 1..MAX), each from a different fresh
 * account that has never been credited a refund: reviewing them touches only cold storage.
 */
async function largestBatchFixture(conn: Connection) {
  const f = await datanetFixture(conn);
  const max = await f.datanetRegistry.MAX_REVIEW_BATCH();
  const contributors: HardhatEthersSigner[] = [];
  for (let i = 0; i < Number(max); i++) {
    const signer = await freshContributor(f, i, BOND);
    await contribute(f.datanetRegistry, signer, 1n, contentHash(`batch ${i}`), BOND);
    contributors.push(signer);
  }
  return { ...f, max, contributors };
}

async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** Fixes the timestamp of the next block 10 seconds after the latest one and returns it. */
async function pinNextTimestamp(): Promise<bigint> {
  const timestamp = (await latest()) + 10n;
  await time.setNextBlockTimestamp(timestamp);
  return timestamp;
}

/** `signer` contributes `hash` to the datanet, accepting a bond of at most `maxBond` (by default datanet 1's). */
function contribute(
  registry: DatanetRegistry,
  signer: HardhatEthersSigner,
  datanetId: bigint,
  hash: string,
  maxBond: bigint = BOND,
) {
  return registry.connect(signer).contribute(datanetId, hash, uriOf(hash), SIZE, maxBond);
}

/** A permit of `value` OPEN-wei for the registry, signed by `owner`, valid for an hour. */
async function permitFor(f: RegistryFixture, owner: HardhatEthersSigner, value: bigint, deadline?: bigint) {
  const validUntil = deadline ?? (await latest()) + HOUR;
  const permit = await signOwnPermit(f.openToken, owner, await f.datanetRegistry.getAddress(), value, validUntil);
  return { ...permit, deadline: validUntil };
}

describe("DatanetRegistry", () => {
  describe("constructor", () => {
    async function deployArgs() {
      const f = await networkHelpers.loadFixture(registryFixture);
      const admin = { governance: f.treasury, treasury: f.treasury, guardian: f.guardian.address };
      return { f, admin, factory: new DatanetRegistry__factory(f.deployer) };
    }

    it("reverts with DatanetRegistryZeroAddress when OPEN is the zero address", async () => {
      const { admin, factory } = await deployArgs();
      await expect(factory.deploy(ZeroAddress, admin, MIN_BOND, MAX_BOND)).to.be.revertedWithCustomError(
        factory,
        "DatanetRegistryZeroAddress",
      );
    });

    it("reverts with ProtocolAdminZeroAddress when the treasury is the zero address", async () => {
      const { f, admin, factory } = await deployArgs();
      await expect(
        factory.deploy(f.openToken, { ...admin, treasury: ZeroAddress }, MIN_BOND, MAX_BOND),
      ).to.be.revertedWithCustomError(factory, "ProtocolAdminZeroAddress");
    });

    it("reverts with OwnableInvalidOwner when governance is the zero address", async () => {
      const { f, admin, factory } = await deployArgs();
      await expect(factory.deploy(f.openToken, { ...admin, governance: ZeroAddress }, MIN_BOND, MAX_BOND))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("reverts with DatanetRegistryInvalidBondBounds when the minimum exceeds the maximum", async () => {
      const { f, admin, factory } = await deployArgs();
      await expect(factory.deploy(f.openToken, admin, MAX_BOND + 1n, MAX_BOND))
        .to.be.revertedWithCustomError(factory, "DatanetRegistryInvalidBondBounds")
        .withArgs(MAX_BOND + 1n, MAX_BOND, MAX_CONTRIBUTION_BOND);
    });

    it("reverts with DatanetRegistryInvalidBondBounds when the maximum exceeds MAX_CONTRIBUTION_BOND", async () => {
      const { f, admin, factory } = await deployArgs();
      await expect(factory.deploy(f.openToken, admin, MIN_BOND, MAX_CONTRIBUTION_BOND + 1n))
        .to.be.revertedWithCustomError(factory, "DatanetRegistryInvalidBondBounds")
        .withArgs(MIN_BOND, MAX_CONTRIBUTION_BOND + 1n, MAX_CONTRIBUTION_BOND);
    });

    it("accepts no guardian and emits OwnershipTransferred, TreasuryUpdated, GuardianUpdated and BondBoundsUpdated from zero values", async () => {
      const { f, admin, factory } = await deployArgs();
      const contract = await factory.deploy(
        f.openToken,
        { ...admin, guardian: ZeroAddress },
        0n,
        MAX_CONTRIBUTION_BOND,
      );
      const deployment = contract.deploymentTransaction();
      await expect(deployment).to.emit(contract, "TreasuryUpdated").withArgs(ZeroAddress, f.treasury);
      await expect(deployment).to.emit(contract, "GuardianUpdated").withArgs(ZeroAddress, ZeroAddress);
      await expect(deployment).to.emit(contract, "BondBoundsUpdated").withArgs(0n, 0n, 0n, MAX_CONTRIBUTION_BOND);
      await expect(deployment).to.emit(contract, "OwnershipTransferred").withArgs(ZeroAddress, f.treasury);
      expect(await contract.guardian()).to.equal(ZeroAddress);
    });
  });

  describe("initial state", () => {
    it("is owned by the timelock, which is also the treasury, and has the fixture's guardian", async () => {
      const { datanetRegistry, treasury, guardian } = await networkHelpers.loadFixture(registryFixture);
      expect(await datanetRegistry.owner()).to.equal(treasury);
      expect(await datanetRegistry.pendingOwner()).to.equal(ZeroAddress);
      expect(await datanetRegistry.treasury()).to.equal(treasury);
      expect(await datanetRegistry.guardian()).to.equal(guardian.address);
    });

    it("bonds OPEN within the deployment bounds, capped by MAX_CONTRIBUTION_BOND", async () => {
      const { datanetRegistry, openToken } = await networkHelpers.loadFixture(registryFixture);
      expect(await datanetRegistry.openToken()).to.equal(await openToken.getAddress());
      const [minBond, maxBond] = await datanetRegistry.bondBounds();
      expect(minBond).to.equal(MIN_BOND);
      expect(maxBond).to.equal(MAX_BOND);
      expect(await datanetRegistry.MAX_CONTRIBUTION_BOND()).to.equal(MAX_CONTRIBUTION_BOND);
    });

    it("starts empty, unpaused, with an active clock that never stopped", async () => {
      const { datanetRegistry } = await networkHelpers.loadFixture(registryFixture);
      expect(await datanetRegistry.datanetCount()).to.equal(0n);
      expect(await datanetRegistry.contributionCount()).to.equal(0n);
      expect(await datanetRegistry.datanetExists(1n)).to.equal(false);
      expect(await datanetRegistry.paused()).to.equal(false);
      expect(await datanetRegistry.pausedSeconds()).to.equal(0n);
    });
  });

  shouldBehaveLikeProtocolAdmin(async () => {
    const f = await networkHelpers.loadFixture(datanetFixture);
    return { ...f, contract: f.datanetRegistry, strangers: [f.erin, f.alice, f.deployer], time };
  }, [
    { name: "contribute", call: (f) => contribute(f.datanetRegistry, f.bob, 1n, H1) },
    {
      name: "contributeWithPermit",
      call: async (f) => {
        const { v, r, s, deadline } = await permitFor(f, f.dave, BOND);
        return f.datanetRegistry.connect(f.dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s);
      },
    },
  ]);

  describe("createDatanet", () => {
    it("numbers datanets from 1", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(registryFixture);
      expect(await datanetRegistry.connect(alice).createDatanet.staticCall(DATANET_URI, BOND)).to.equal(1n);
      await datanetRegistry.connect(alice).createDatanet(DATANET_URI, BOND);
      expect(await datanetRegistry.connect(bob).createDatanet.staticCall(DATANET_2_URI, BOND)).to.equal(2n);
      await datanetRegistry.connect(bob).createDatanet(DATANET_2_URI, BOND);
      expect(await datanetRegistry.datanetCount()).to.equal(2n);
      expect(await datanetRegistry.datanetExists(1n)).to.equal(true);
      expect(await datanetRegistry.datanetExists(2n)).to.equal(true);
      expect(await datanetRegistry.datanetExists(3n)).to.equal(false);
      expect(await datanetRegistry.datanetExists(0n)).to.equal(false);
    });

    it("stores an open datanet owned by the caller with its bond, time and metadata", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(registryFixture);
      const createdAt = await pinNextTimestamp();
      await datanetRegistry.connect(alice).createDatanet(DATANET_URI, BOND);
      const d = await datanetRegistry.getDatanet(1n);
      expect(d.owner).to.equal(alice.address);
      expect(d.open).to.equal(true);
      expect(d.createdAt).to.equal(createdAt);
      expect(d.contributionBond).to.equal(BOND);
      expect(d.contributionCount).to.equal(0n);
      expect(d.acceptedCount).to.equal(0n);
      expect(d.versionCount).to.equal(0n);
      expect(d.metadataURI).to.equal(DATANET_URI);
    });

    it("makes the owner the first curator and no one else", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(registryFixture);
      await datanetRegistry.connect(alice).createDatanet(DATANET_URI, BOND);
      expect(await datanetRegistry.isCurator(1n, alice)).to.equal(true);
      expect(await datanetRegistry.isCurator(1n, bob)).to.equal(false);
      expect(await datanetRegistry.isCurator(2n, alice)).to.equal(false);
    });

    it("emits DatanetCreated", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(registryFixture);
      await expect(datanetRegistry.connect(alice).createDatanet(DATANET_URI, BOND))
        .to.emit(datanetRegistry, "DatanetCreated")
        .withArgs(1n, alice.address, BOND, DATANET_URI);
    });

    it("reverts with DatanetRegistryBondOutOfBounds below the minimum bond", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(registryFixture);
      await expect(datanetRegistry.connect(alice).createDatanet(DATANET_URI, MIN_BOND - 1n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondOutOfBounds")
        .withArgs(MIN_BOND - 1n, MIN_BOND, MAX_BOND);
    });

    it("reverts with DatanetRegistryBondOutOfBounds above the maximum bond", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(registryFixture);
      await expect(datanetRegistry.connect(alice).createDatanet(DATANET_URI, MAX_BOND + 1n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondOutOfBounds")
        .withArgs(MAX_BOND + 1n, MIN_BOND, MAX_BOND);
    });

    it("accepts a bond of exactly the minimum or the maximum", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(registryFixture);
      await datanetRegistry.connect(alice).createDatanet(DATANET_URI, MIN_BOND);
      await datanetRegistry.connect(alice).createDatanet(DATANET_URI, MAX_BOND);
      expect((await datanetRegistry.getDatanet(1n)).contributionBond).to.equal(MIN_BOND);
      expect((await datanetRegistry.getDatanet(2n)).contributionBond).to.equal(MAX_BOND);
    });

    it("still works while contributions are paused", async () => {
      const { datanetRegistry, alice, guardian } = await networkHelpers.loadFixture(registryFixture);
      await datanetRegistry.connect(guardian).pause();
      await expect(datanetRegistry.connect(alice).createDatanet(DATANET_URI, BOND)).to.emit(
        datanetRegistry,
        "DatanetCreated",
      );
    });
  });

  describe("getDatanet", () => {
    it("reverts with DatanetRegistryUnknownDatanet for an id never created", async () => {
      const { datanetRegistry } = await networkHelpers.loadFixture(datanetFixture);
      for (const datanetId of [0n, 3n]) {
        await expect(datanetRegistry.getDatanet(datanetId))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownDatanet")
          .withArgs(datanetId);
      }
    });
  });

  describe("setCurator", () => {
    it("reverts with DatanetRegistryUnknownDatanet for an unknown datanet", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setCurator(3n, bob, true))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownDatanet")
        .withArgs(3n);
    });

    it("reverts with DatanetRegistryNotDatanetOwner for a curator who is not the owner", async () => {
      const { datanetRegistry, carol, bob } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(carol).setCurator(1n, bob, true))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotDatanetOwner")
        .withArgs(1n, carol.address);
    });

    it("reverts with DatanetRegistryNotDatanetOwner for governance", async () => {
      const { datanetRegistry, governance, bob } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(governance).setCurator(1n, bob, true))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotDatanetOwner")
        .withArgs(1n, governance.address);
    });

    it("reverts with DatanetRegistryZeroAddress for the zero address", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setCurator(1n, ZeroAddress, true)).to.be.revertedWithCustomError(
        datanetRegistry,
        "DatanetRegistryZeroAddress",
      );
    });

    it("reverts with DatanetRegistryOwnerIsCurator when the owner names itself, either way", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(datanetFixture);
      for (const isCurator of [false, true]) {
        await expect(datanetRegistry.connect(alice).setCurator(1n, alice, isCurator))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryOwnerIsCurator")
          .withArgs(1n);
      }
      expect(await datanetRegistry.isCurator(1n, alice)).to.equal(true);
    });

    it("adds a curator and emits CuratorUpdated(datanet, curator, true)", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setCurator(1n, bob, true))
        .to.emit(datanetRegistry, "CuratorUpdated")
        .withArgs(1n, bob.address, true);
      expect(await datanetRegistry.isCurator(1n, bob)).to.equal(true);
    });

    it("scopes curators to their datanet", async () => {
      const { datanetRegistry, carol, alice } = await networkHelpers.loadFixture(datanetFixture);
      expect(await datanetRegistry.isCurator(1n, carol)).to.equal(true);
      expect(await datanetRegistry.isCurator(2n, carol)).to.equal(true); // its owner
      expect(await datanetRegistry.isCurator(2n, alice)).to.equal(false);
    });

    it("removes a curator, emits CuratorUpdated(datanet, curator, false) and withdraws its review right", async () => {
      const { datanetRegistry, alice, bob, carol } = await networkHelpers.loadFixture(pendingFixture);
      await expect(datanetRegistry.connect(alice).setCurator(1n, carol, false))
        .to.emit(datanetRegistry, "CuratorUpdated")
        .withArgs(1n, carol.address, false);
      expect(await datanetRegistry.isCurator(1n, carol)).to.equal(false);
      await expect(datanetRegistry.connect(carol).review(1n, true))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotCurator")
        .withArgs(1n, carol.address);
      expect((await datanetRegistry.getContribution(1n)).contributor).to.equal(bob.address);
    });
  });

  describe("setDatanetOpen", () => {
    it("reverts with DatanetRegistryNotDatanetOwner for a curator who is not the owner", async () => {
      const { datanetRegistry, carol } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(carol).setDatanetOpen(1n, false))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotDatanetOwner")
        .withArgs(1n, carol.address);
    });

    it("reverts with DatanetRegistryUnknownDatanet for an unknown datanet", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setDatanetOpen(3n, false))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownDatanet")
        .withArgs(3n);
    });

    it("closes the datanet and emits DatanetOpenChanged(datanet, false)", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setDatanetOpen(1n, false))
        .to.emit(datanetRegistry, "DatanetOpenChanged")
        .withArgs(1n, false);
      expect((await datanetRegistry.getDatanet(1n)).open).to.equal(false);
    });

    it("makes contribute revert with DatanetRegistryDatanetClosed while closed", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(datanetFixture);
      await datanetRegistry.connect(alice).setDatanetOpen(1n, false);
      await expect(contribute(datanetRegistry, bob, 1n, H1))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryDatanetClosed")
        .withArgs(1n);
    });

    it("accepts contributions again once reopened and emits DatanetOpenChanged(datanet, true)", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(datanetFixture);
      await datanetRegistry.connect(alice).setDatanetOpen(1n, false);
      await expect(datanetRegistry.connect(alice).setDatanetOpen(1n, true))
        .to.emit(datanetRegistry, "DatanetOpenChanged")
        .withArgs(1n, true);
      await expect(contribute(datanetRegistry, bob, 1n, H1)).to.emit(datanetRegistry, "ContributionSubmitted");
    });

    it("leaves pending contributions reviewable while closed", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(pendingFixture);
      await datanetRegistry.connect(alice).setDatanetOpen(1n, false);
      await datanetRegistry.connect(alice).review(1n, true);
      expect((await datanetRegistry.getContribution(1n)).status).to.equal(ContributionStatus.Accepted);
      expect(await datanetRegistry.refundOf(bob)).to.equal(BOND);
    });
  });

  describe("setContributionBond", () => {
    it("reverts with DatanetRegistryNotDatanetOwner for a curator who is not the owner", async () => {
      const { datanetRegistry, carol } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(carol).setContributionBond(1n, BOND_2))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotDatanetOwner")
        .withArgs(1n, carol.address);
    });

    it("reverts with DatanetRegistryUnknownDatanet for an unknown datanet", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setContributionBond(3n, BOND_2))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownDatanet")
        .withArgs(3n);
    });

    it("reverts with DatanetRegistryBondOutOfBounds below the minimum bond", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setContributionBond(1n, MIN_BOND - 1n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondOutOfBounds")
        .withArgs(MIN_BOND - 1n, MIN_BOND, MAX_BOND);
    });

    it("reverts with DatanetRegistryBondOutOfBounds above the maximum bond", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setContributionBond(1n, MAX_BOND + 1n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondOutOfBounds")
        .withArgs(MAX_BOND + 1n, MIN_BOND, MAX_BOND);
    });

    it("sets the bond and emits ContributionBondUpdated with the old and new bonds", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(alice).setContributionBond(1n, BOND_2))
        .to.emit(datanetRegistry, "ContributionBondUpdated")
        .withArgs(1n, BOND, BOND_2);
      expect((await datanetRegistry.getDatanet(1n)).contributionBond).to.equal(BOND_2);
    });

    it("applies to later contributions only: a pending contribution keeps and gets back its own bond", async () => {
      const { datanetRegistry, openToken, alice, bob } = await networkHelpers.loadFixture(pendingFixture);
      await datanetRegistry.connect(alice).setContributionBond(1n, BOND_2);
      await expect(contribute(datanetRegistry, bob, 1n, H2, BOND_2)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, datanetRegistry],
        [-BOND_2, BOND_2],
      );
      expect((await datanetRegistry.getContribution(1n)).bond).to.equal(BOND);
      expect((await datanetRegistry.getContribution(2n)).bond).to.equal(BOND_2);
      await datanetRegistry.connect(alice).review(1n, true);
      expect(await datanetRegistry.refundOf(bob)).to.equal(BOND);
      await expectDatanetBondsConserved(openToken, datanetRegistry);
    });
  });

  describe("contribute", () => {
    it("reverts with DatanetRegistryUnknownDatanet for an unknown datanet", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(datanetFixture);
      for (const datanetId of [0n, 3n]) {
        await expect(contribute(datanetRegistry, bob, datanetId, H1))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownDatanet")
          .withArgs(datanetId);
      }
    });

    it("reverts with DatanetRegistryZeroContentHash for a zero content hash", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(datanetFixture);
      await expect(contribute(datanetRegistry, bob, 1n, ZeroHash)).to.be.revertedWithCustomError(
        datanetRegistry,
        "DatanetRegistryZeroContentHash",
      );
    });

    it("reverts with DatanetRegistryBondAboveMax(bond, maxBond) when the bond exceeds the caller's maxBond", async () => {
      const { datanetRegistry, openToken, bob } = await networkHelpers.loadFixture(datanetFixture);
      const balance = await openToken.balanceOf(bob);
      await expect(contribute(datanetRegistry, bob, 1n, H1, BOND - 1n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondAboveMax")
        .withArgs(BOND, BOND - 1n);
      await expect(contribute(datanetRegistry, bob, 2n, H1, 0n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondAboveMax")
        .withArgs(BOND_2, 0n);
      expect(await openToken.balanceOf(bob)).to.equal(balance);
      expect(await datanetRegistry.contributionCount()).to.equal(0n);
    });

    it("pulls only the datanet's bond when maxBond is higher, whatever the caller's allowance", async () => {
      const { datanetRegistry, openToken, bob } = await networkHelpers.loadFixture(datanetFixture);
      await expect(contribute(datanetRegistry, bob, 1n, H1, MaxUint256)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, datanetRegistry],
        [-BOND, BOND],
      );
      expect((await datanetRegistry.getContribution(1n)).bond).to.equal(BOND);
    });

    it("reverts with DatanetRegistryRedundantContribution when the hash is pending in the datanet", async () => {
      const { datanetRegistry, carol } = await networkHelpers.loadFixture(pendingFixture);
      await expect(contribute(datanetRegistry, carol, 1n, H1))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryRedundantContribution")
        .withArgs(1n, H1, 1n);
    });

    it("reverts with DatanetRegistryRedundantContribution when the hash was accepted in the datanet", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(contribute(datanetRegistry, bob, 1n, H1))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryRedundantContribution")
        .withArgs(1n, H1, 1n);
    });

    it("reverts with DatanetRegistryRedundantContribution when the hash was accepted then penalized", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(acceptedFixture);
      await datanetRegistry.connect(alice).penalize(1n, "poisoned labels");
      await expect(contribute(datanetRegistry, bob, 1n, H1))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryRedundantContribution")
        .withArgs(1n, H1, 1n);
    });

    it("accepts the hash again after its rejection, as a new contribution with a new bond", async () => {
      const { datanetRegistry, openToken, alice, bob } = await networkHelpers.loadFixture(pendingFixture);
      await datanetRegistry.connect(alice).review(1n, false);
      expect(await datanetRegistry.contributionByHash(1n, H1)).to.equal(0n);
      await expect(contribute(datanetRegistry, bob, 1n, H1)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, datanetRegistry],
        [-BOND, BOND],
      );
      expect(await datanetRegistry.contributionByHash(1n, H1)).to.equal(2n);
      expect((await datanetRegistry.getContribution(1n)).status).to.equal(ContributionStatus.Rejected);
      expect((await datanetRegistry.getContribution(2n)).status).to.equal(ContributionStatus.Pending);
    });

    it("accepts the same hash in another datanet", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(pendingFixture);
      await expect(contribute(datanetRegistry, bob, 2n, H1, BOND_2))
        .to.emit(datanetRegistry, "ContributionSubmitted")
        .withArgs(2n, 2n, bob.address, H1, uriOf(H1), SIZE, BOND_2);
      expect(await datanetRegistry.contributionByHash(1n, H1)).to.equal(1n);
      expect(await datanetRegistry.contributionByHash(2n, H1)).to.equal(2n);
    });

    it("numbers contributions from 1 across datanets and counts them per datanet", async () => {
      const { datanetRegistry, bob, carol } = await networkHelpers.loadFixture(datanetFixture);
      expect(await datanetRegistry.connect(bob).contribute.staticCall(1n, H1, uriOf(H1), SIZE, BOND)).to.equal(1n);
      await contribute(datanetRegistry, bob, 1n, H1);
      await contribute(datanetRegistry, carol, 2n, H2, BOND_2);
      await contribute(datanetRegistry, bob, 1n, H3);
      expect(await datanetRegistry.contributionCount()).to.equal(3n);
      expect((await datanetRegistry.getContribution(2n)).datanetId).to.equal(2n);
      expect((await datanetRegistry.getContribution(3n)).datanetId).to.equal(1n);
      expect((await datanetRegistry.getDatanet(1n)).contributionCount).to.equal(2n);
      expect((await datanetRegistry.getDatanet(2n)).contributionCount).to.equal(1n);
    });

    it("pulls exactly the datanet's bond from the contributor", async () => {
      const { datanetRegistry, openToken, bob } = await networkHelpers.loadFixture(datanetFixture);
      await expect(contribute(datanetRegistry, bob, 2n, H1, BOND_2)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, datanetRegistry],
        [-BOND_2, BOND_2],
      );
    });

    it("stores a pending contribution with its contributor, bond, datanet, time, size and hash", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(datanetFixture);
      const submittedAt = await pinNextTimestamp();
      await contribute(datanetRegistry, bob, 1n, H1);
      const c = await datanetRegistry.getContribution(1n);
      expect(c.contributor).to.equal(bob.address);
      expect(c.bond).to.equal(BOND);
      expect(c.datanetId).to.equal(1n);
      expect(c.status).to.equal(ContributionStatus.Pending);
      expect(c.submittedAt).to.equal(submittedAt);
      expect(c.size).to.equal(SIZE);
      expect(c.contentHash).to.equal(H1);
      expect(await datanetRegistry.contributionByHash(1n, H1)).to.equal(1n);
    });

    it("emits ContributionSubmitted with the hash, URI, size and bond", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(datanetFixture);
      await expect(datanetRegistry.connect(bob).contribute(1n, H1, "ar://x-ray-1", 123n, BOND))
        .to.emit(datanetRegistry, "ContributionSubmitted")
        .withArgs(1n, 1n, bob.address, H1, "ar://x-ray-1", 123n, BOND);
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when the registry is not approved", async () => {
      const { datanetRegistry, openToken, dave } = await networkHelpers.loadFixture(datanetFixture);
      await expect(contribute(datanetRegistry, dave, 1n, H1))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await datanetRegistry.getAddress(), 0n, BOND);
    });

    it("reverts with OPEN's ERC20InsufficientBalance when the contributor cannot pay the bond", async () => {
      const { datanetRegistry, openToken, erin } = await networkHelpers.loadFixture(datanetFixture);
      await openToken.connect(erin).approve(datanetRegistry, MaxUint256);
      await expect(contribute(datanetRegistry, erin, 1n, H1))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientBalance")
        .withArgs(erin.address, 0n, BOND);
    });

    it("takes no OPEN and credits none in a zero-bond datanet, with a maxBond of zero", async () => {
      const { datanetRegistry, openToken, governance, alice, erin } = await networkHelpers.loadFixture(datanetFixture);
      await datanetRegistry.connect(governance).setBondBounds(0n, MAX_BOND);
      await datanetRegistry.connect(alice).createDatanet("ipfs://free", 0n);
      await expect(contribute(datanetRegistry, erin, 3n, H1, 0n)).to.changeTokenBalances(
        ethers,
        openToken,
        [erin, datanetRegistry],
        [0n, 0n],
      );
      const rejection = datanetRegistry.connect(alice).review(1n, false);
      await expect(rejection)
        .to.emit(datanetRegistry, "ContributionReviewed")
        .withArgs(1n, 3n, alice.address, false, 0n);
      await expect(rejection).to.not.emit(datanetRegistry, "BondsSlashed");
      await contribute(datanetRegistry, erin, 3n, H2, 0n);
      await datanetRegistry.connect(alice).review(2n, true);
      expect(await datanetRegistry.refundOf(erin)).to.equal(0n);
    });
  });

  describe("contributeWithPermit", () => {
    it("contributes without a prior approval using the contributor's permit of maxBond", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, dave } = f;
      const { v, r, s, deadline } = await permitFor(f, dave, BOND);
      const tx = datanetRegistry.connect(dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s);
      await expect(tx).to.changeTokenBalances(ethers, openToken, [dave, datanetRegistry], [-BOND, BOND]);
      await expect(tx)
        .to.emit(datanetRegistry, "ContributionSubmitted")
        .withArgs(1n, 1n, dave.address, H1, uriOf(H1), SIZE, BOND);
      expect(await openToken.nonces(dave)).to.equal(1n);
      expect(await openToken.allowance(dave, datanetRegistry)).to.equal(0n);
    });

    it("pulls only the bond when maxBond is higher and leaves the rest of the permit as allowance", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, dave } = f;
      const { v, r, s, deadline } = await permitFor(f, dave, BOND_2);
      await expect(
        datanetRegistry.connect(dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND_2, deadline, v, r, s),
      ).to.changeTokenBalances(ethers, openToken, [dave, datanetRegistry], [-BOND, BOND]);
      // Only the registry, pulling from dave's own later contributions (each capped by its maxBond), can use it.
      expect(await openToken.allowance(dave, datanetRegistry)).to.equal(BOND_2 - BOND);
    });

    it("reverts with DatanetRegistryBondAboveMax when the bond exceeds the permitted maxBond, permit and all", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, dave } = f;
      const { v, r, s, deadline } = await permitFor(f, dave, BOND - 1n);
      await expect(
        datanetRegistry.connect(dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND - 1n, deadline, v, r, s),
      )
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondAboveMax")
        .withArgs(BOND, BOND - 1n);
      expect(await openToken.nonces(dave), "the permit was rolled back with the call").to.equal(0n);
      expect(await openToken.allowance(dave, datanetRegistry)).to.equal(0n);
    });

    it("tolerates a front-run permit when the allowance it set is in place", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, dave, erin } = f;
      const { v, r, s, deadline } = await permitFor(f, dave, BOND);
      // Erin copies the signature from the mempool and submits the permit first.
      await openToken.connect(erin).permit(dave, datanetRegistry, BOND, deadline, v, r, s);
      await expect(
        datanetRegistry.connect(dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s),
      ).to.changeTokenBalances(ethers, openToken, [dave, datanetRegistry], [-BOND, BOND]);
      expect((await datanetRegistry.getContribution(1n)).contributor).to.equal(dave.address);
    });

    it("ignores an expired permit when an earlier approval covers the bond", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, bob } = f;
      const { v, r, s, deadline } = await permitFor(f, bob, BOND, (await latest()) - 1n);
      await expect(datanetRegistry.connect(bob).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s))
        .to.emit(datanetRegistry, "ContributionSubmitted")
        .withArgs(1n, 1n, bob.address, H1, uriOf(H1), SIZE, BOND);
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when the permit is invalid and nothing is approved", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, dave, carol } = f;
      // Carol's own permit cannot authorise a pull from dave.
      const { v, r, s, deadline } = await permitFor(f, carol, BOND);
      await expect(datanetRegistry.connect(dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await datanetRegistry.getAddress(), 0n, BOND);
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when the permit was signed for another value than maxBond", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, dave } = f;
      // Signed for BOND but submitted with maxBond = BOND_2: the permit does not verify and is ignored.
      const { v, r, s, deadline } = await permitFor(f, dave, BOND);
      await expect(
        datanetRegistry.connect(dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND_2, deadline, v, r, s),
      )
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await datanetRegistry.getAddress(), 0n, BOND);
    });

    it("reverts with DatanetRegistryUnknownDatanet for an unknown datanet", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { v, r, s, deadline } = await permitFor(f, f.dave, BOND);
      await expect(
        f.datanetRegistry.connect(f.dave).contributeWithPermit(3n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s),
      )
        .to.be.revertedWithCustomError(f.datanetRegistry, "DatanetRegistryUnknownDatanet")
        .withArgs(3n);
    });

    it("applies the contribute rules: reverts with DatanetRegistryRedundantContribution for a pending hash", async () => {
      const f = await networkHelpers.loadFixture(pendingFixture);
      const { v, r, s, deadline } = await permitFor(f, f.dave, BOND);
      await expect(
        f.datanetRegistry.connect(f.dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s),
      )
        .to.be.revertedWithCustomError(f.datanetRegistry, "DatanetRegistryRedundantContribution")
        .withArgs(1n, H1, 1n);
    });
  });

  describe("a bond raised just before a contribution lands", () => {
    /** Alice, datanet 1's owner, raises its bond from BOND to BOND_2 in the block that carries `victim`, first. */
    function raisedUnder(f: RegistryFixture, victim: (fees: TxFees) => ReturnType<DatanetRegistry["contribute"]>) {
      return frontRun(connection, victim, (fees) =>
        f.datanetRegistry.connect(f.alice).setContributionBond(1n, BOND_2, fees),
      );
    }

    it("is not charged to a contributor with a standing unlimited approval: contribute reverts with DatanetRegistryBondAboveMax", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, bob } = f;
      expect(await openToken.allowance(bob, datanetRegistry)).to.equal(MaxUint256);
      const balance = await openToken.balanceOf(bob);
      const { victimTx, frontTx } = await raisedUnder(f, (fees) =>
        datanetRegistry.connect(bob).contribute(1n, H1, uriOf(H1), SIZE, BOND, fees),
      );
      await expect(frontTx).to.emit(datanetRegistry, "ContributionBondUpdated").withArgs(1n, BOND, BOND_2);
      await expect(victimTx)
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondAboveMax")
        .withArgs(BOND_2, BOND);
      expect(await openToken.balanceOf(bob), "bob paid nothing").to.equal(balance);
      expect(await datanetRegistry.contributionCount()).to.equal(0n);
      expect(await datanetRegistry.contributionByHash(1n, H1)).to.equal(0n);
    });

    it("is not charged through contributeWithPermit under a standing approval, whatever the permit", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, bob } = f;
      const balance = await openToken.balanceOf(bob);
      // An expired permit: ignored, so only the standing approval could pay.
      const { v, r, s, deadline } = await permitFor(f, bob, BOND, (await latest()) - 1n);
      const { victimTx } = await raisedUnder(f, (fees) =>
        datanetRegistry.connect(bob).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s, fees),
      );
      await expect(victimTx)
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondAboveMax")
        .withArgs(BOND_2, BOND);
      expect(await openToken.balanceOf(bob)).to.equal(balance);
      expect(await openToken.allowance(bob, datanetRegistry), "the standing approval is untouched").to.equal(
        MaxUint256,
      );
    });

    it("is not charged to a contributor whose permit names the old bond", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, dave } = f;
      const { v, r, s, deadline } = await permitFor(f, dave, BOND);
      const { victimTx } = await raisedUnder(f, (fees) =>
        datanetRegistry.connect(dave).contributeWithPermit(1n, H1, uriOf(H1), SIZE, BOND, deadline, v, r, s, fees),
      );
      await expect(victimTx)
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondAboveMax")
        .withArgs(BOND_2, BOND);
      expect(await openToken.balanceOf(dave)).to.equal(FUNDS);
      expect(await openToken.allowance(dave, datanetRegistry)).to.equal(0n);
      expect(await openToken.nonces(dave), "the permit is still unused").to.equal(0n);
    });

    it("lets the contribution land at the new bond once the contributor accepts it", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry, openToken, bob } = f;
      await raisedUnder(f, (fees) => datanetRegistry.connect(bob).contribute(1n, H1, uriOf(H1), SIZE, BOND, fees));
      await expect(contribute(datanetRegistry, bob, 1n, H1, BOND_2)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, datanetRegistry],
        [-BOND_2, BOND_2],
      );
    });
  });

  describe("getContribution", () => {
    it("reverts with DatanetRegistryUnknownContribution for an id never submitted", async () => {
      const { datanetRegistry } = await networkHelpers.loadFixture(pendingFixture);
      for (const contributionId of [0n, 2n]) {
        await expect(datanetRegistry.getContribution(contributionId))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownContribution")
          .withArgs(contributionId);
      }
    });

    it("keeps contributor, datanet and status in the first slot: what attribution reads", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(pendingFixture);
      const registry = await datanetRegistry.getAddress();
      // Solidity lays out mappings at keccak256(key . slot); find the contribution's first slot by its contents.
      const c = await datanetRegistry.getContribution(1n);
      const packed = (ContributionStatus.Pending << 224n) | (c.datanetId << 160n) | BigInt(bob.address);
      let found = false;
      for (let slot = 0n; slot < 16n && !found; slot++) {
        const key = keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [1n, slot]));
        const word = BigInt(await ethers.provider.getStorage(registry, key));
        found = word === packed;
      }
      expect(found, "contributor | datanetId << 160 | status << 224 in one word").to.equal(true);
    });
  });

  describe("review", () => {
    it("reverts with DatanetRegistryUnknownContribution for an unknown id", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(pendingFixture);
      for (const contributionId of [0n, 2n]) {
        await expect(datanetRegistry.connect(alice).review(contributionId, true))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownContribution")
          .withArgs(contributionId);
      }
    });

    it("reverts with DatanetRegistryNotCurator for the contributor", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(pendingFixture);
      await expect(datanetRegistry.connect(bob).review(1n, true))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotCurator")
        .withArgs(1n, bob.address);
    });

    it("reverts with DatanetRegistryNotCurator for governance and the guardian", async () => {
      const { datanetRegistry, governance, guardian } = await networkHelpers.loadFixture(pendingFixture);
      for (const caller of [governance, guardian]) {
        await expect(datanetRegistry.connect(caller).review(1n, true))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotCurator")
          .withArgs(1n, caller.address);
      }
    });

    it("reverts with DatanetRegistryNotCurator for the owner of another datanet", async () => {
      const { datanetRegistry, bob, alice } = await networkHelpers.loadFixture(pendingFixture);
      await contribute(datanetRegistry, bob, 2n, H2, BOND_2);
      await expect(datanetRegistry.connect(alice).review(2n, true))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotCurator")
        .withArgs(2n, alice.address);
    });

    it("lets an added curator review", async () => {
      const { datanetRegistry, carol } = await networkHelpers.loadFixture(pendingFixture);
      await expect(datanetRegistry.connect(carol).review(1n, false))
        .to.emit(datanetRegistry, "ContributionReviewed")
        .withArgs(1n, 1n, carol.address, false, BOND);
    });

    describe("accepting", () => {
      it("marks the contribution Accepted and counts it in the datanet", async () => {
        const { datanetRegistry, alice } = await networkHelpers.loadFixture(pendingFixture);
        await datanetRegistry.connect(alice).review(1n, true);
        expect((await datanetRegistry.getContribution(1n)).status).to.equal(ContributionStatus.Accepted);
        expect((await datanetRegistry.getDatanet(1n)).acceptedCount).to.equal(1n);
        expect(await datanetRegistry.contributionByHash(1n, H1)).to.equal(1n);
      });

      it("credits the bond to the contributor's refund without moving OPEN", async () => {
        const { datanetRegistry, openToken, alice, bob, treasury } = await networkHelpers.loadFixture(pendingFixture);
        await expect(datanetRegistry.connect(alice).review(1n, true)).to.changeTokenBalances(
          ethers,
          openToken,
          [bob, datanetRegistry, treasury],
          [0n, 0n, 0n],
        );
        expect(await datanetRegistry.refundOf(bob)).to.equal(BOND);
        await expectDatanetBondsConserved(openToken, datanetRegistry);
      });

      it("emits ContributionReviewed(accepted) and no BondsSlashed", async () => {
        const { datanetRegistry, alice } = await networkHelpers.loadFixture(pendingFixture);
        const tx = datanetRegistry.connect(alice).review(1n, true);
        await expect(tx).to.emit(datanetRegistry, "ContributionReviewed").withArgs(1n, 1n, alice.address, true, BOND);
        await expect(tx).to.not.emit(datanetRegistry, "BondsSlashed");
      });

      it("reverts a second review with DatanetRegistryUnexpectedContributionStatus(Accepted)", async () => {
        const { datanetRegistry, alice } = await networkHelpers.loadFixture(acceptedFixture);
        for (const accept of [true, false]) {
          await expect(datanetRegistry.connect(alice).review(1n, accept))
            .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnexpectedContributionStatus")
            .withArgs(1n, ContributionStatus.Accepted);
        }
      });
    });

    describe("rejecting", () => {
      it("marks the contribution Rejected, frees its hash and leaves the accepted count", async () => {
        const { datanetRegistry, alice } = await networkHelpers.loadFixture(pendingFixture);
        await datanetRegistry.connect(alice).review(1n, false);
        expect((await datanetRegistry.getContribution(1n)).status).to.equal(ContributionStatus.Rejected);
        expect((await datanetRegistry.getDatanet(1n)).acceptedCount).to.equal(0n);
        expect(await datanetRegistry.contributionByHash(1n, H1)).to.equal(0n);
      });

      it("sends the bond to the treasury (the timelock) and credits nothing", async () => {
        const { datanetRegistry, openToken, alice, bob, treasury } = await networkHelpers.loadFixture(pendingFixture);
        await expect(datanetRegistry.connect(alice).review(1n, false)).to.changeTokenBalances(
          ethers,
          openToken,
          [datanetRegistry, treasury, bob],
          [-BOND, BOND, 0n],
        );
        expect(await datanetRegistry.refundOf(bob)).to.equal(0n);
        await expectDatanetBondsConserved(openToken, datanetRegistry);
      });

      it("emits ContributionReviewed(rejected) and BondsSlashed(treasury, bond)", async () => {
        const { datanetRegistry, alice, treasury } = await networkHelpers.loadFixture(pendingFixture);
        const tx = datanetRegistry.connect(alice).review(1n, false);
        await expect(tx).to.emit(datanetRegistry, "ContributionReviewed").withArgs(1n, 1n, alice.address, false, BOND);
        await expect(tx).to.emit(datanetRegistry, "BondsSlashed").withArgs(treasury, BOND);
      });

      it("sends the bond to the treasury in force at rejection", async () => {
        const { datanetRegistry, openToken, alice, governance, erin, treasury } =
          await networkHelpers.loadFixture(pendingFixture);
        await datanetRegistry.connect(governance).setTreasury(erin);
        const tx = datanetRegistry.connect(alice).review(1n, false);
        await expect(tx).to.changeTokenBalances(ethers, openToken, [erin, treasury], [BOND, 0n]);
        await expect(tx).to.emit(datanetRegistry, "BondsSlashed").withArgs(erin.address, BOND);
      });

      it("reverts a second review with DatanetRegistryUnexpectedContributionStatus(Rejected)", async () => {
        const { datanetRegistry, alice } = await networkHelpers.loadFixture(pendingFixture);
        await datanetRegistry.connect(alice).review(1n, false);
        for (const accept of [true, false]) {
          await expect(datanetRegistry.connect(alice).review(1n, accept))
            .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnexpectedContributionStatus")
            .withArgs(1n, ContributionStatus.Rejected);
        }
      });
    });

    it("reverts the review of a penalized contribution with DatanetRegistryUnexpectedContributionStatus(Penalized)", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(acceptedFixture);
      await datanetRegistry.connect(alice).penalize(1n, "spam");
      await expect(datanetRegistry.connect(alice).review(1n, false))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnexpectedContributionStatus")
        .withArgs(1n, ContributionStatus.Penalized);
    });
  });

  describe("reviewBatch", () => {
    it("reverts with DatanetRegistryInvalidBatchSize(0, MAX_REVIEW_BATCH) for no contribution", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(batchFixture);
      const max = await datanetRegistry.MAX_REVIEW_BATCH();
      await expect(datanetRegistry.connect(alice).reviewBatch([], []))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryInvalidBatchSize")
        .withArgs(0n, max);
    });

    it("reverts with DatanetRegistryInvalidBatchSize(MAX_REVIEW_BATCH + 1, MAX_REVIEW_BATCH) for one too many", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(batchFixture);
      const max = await datanetRegistry.MAX_REVIEW_BATCH();
      const ids = Array.from({ length: Number(max) + 1 }, (_, i) => BigInt(i + 1));
      await expect(
        datanetRegistry.connect(alice).reviewBatch(
          ids,
          ids.map(() => true),
        ),
      )
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryInvalidBatchSize")
        .withArgs(max + 1n, max);
    });

    it("reverts with DatanetRegistryLengthMismatch when ids and decisions differ in length", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(batchFixture);
      await expect(datanetRegistry.connect(alice).reviewBatch([1n, 2n], [true]))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryLengthMismatch")
        .withArgs(2n, 1n);
      await expect(datanetRegistry.connect(alice).reviewBatch([1n], [true, false]))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryLengthMismatch")
        .withArgs(1n, 2n);
    });

    it("reverts with DatanetRegistryUnknownContribution for an unknown id", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(batchFixture);
      await expect(datanetRegistry.connect(alice).reviewBatch([9n], [true]))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownContribution")
        .withArgs(9n);
      await expect(datanetRegistry.connect(alice).reviewBatch([1n, 9n], [true, true]))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownContribution")
        .withArgs(9n);
    });

    it("reverts with DatanetRegistryNotCurator for a non-curator of the first contribution's datanet", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(batchFixture);
      await expect(datanetRegistry.connect(bob).reviewBatch([1n, 2n], [true, true]))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotCurator")
        .withArgs(1n, bob.address);
    });

    it("reverts with DatanetRegistryMixedDatanets when a contribution is in another datanet", async () => {
      const { datanetRegistry, carol } = await networkHelpers.loadFixture(batchFixture);
      // Carol curates both datanets, yet one batch must stay in one datanet.
      await expect(datanetRegistry.connect(carol).reviewBatch([1n, 5n], [true, true]))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryMixedDatanets")
        .withArgs(5n, 1n, 2n);
    });

    it("reverts as a whole when one contribution is not pending", async () => {
      const { datanetRegistry, openToken, alice } = await networkHelpers.loadFixture(batchFixture);
      await datanetRegistry.connect(alice).review(3n, true);
      await expect(datanetRegistry.connect(alice).reviewBatch([1n, 2n, 3n], [true, false, true]))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnexpectedContributionStatus")
        .withArgs(3n, ContributionStatus.Accepted);
      expect((await datanetRegistry.getContribution(1n)).status).to.equal(ContributionStatus.Pending);
      expect((await datanetRegistry.getContribution(2n)).status).to.equal(ContributionStatus.Pending);
      expect((await datanetRegistry.getDatanet(1n)).acceptedCount).to.equal(1n);
      await expectDatanetBondsConserved(openToken, datanetRegistry);
    });

    it("reverts with DatanetRegistryUnexpectedContributionStatus when an id appears twice", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(batchFixture);
      await expect(datanetRegistry.connect(alice).reviewBatch([1n, 1n], [true, false]))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnexpectedContributionStatus")
        .withArgs(1n, ContributionStatus.Accepted);
    });

    it("settles each contribution, counts the accepted ones and credits their bonds", async () => {
      const { datanetRegistry, openToken, alice, bob, carol } = await networkHelpers.loadFixture(batchFixture);
      await datanetRegistry.connect(alice).reviewBatch([1n, 2n, 3n, 4n], [true, false, true, true]);
      const statuses = [];
      for (const contributionId of [1n, 2n, 3n, 4n]) {
        statuses.push((await datanetRegistry.getContribution(contributionId)).status);
      }
      expect(statuses).to.deep.equal([
        ContributionStatus.Accepted,
        ContributionStatus.Rejected,
        ContributionStatus.Accepted,
        ContributionStatus.Accepted,
      ]);
      expect((await datanetRegistry.getDatanet(1n)).acceptedCount).to.equal(3n);
      expect(await datanetRegistry.refundOf(bob)).to.equal(2n * BOND);
      expect(await datanetRegistry.refundOf(carol)).to.equal(BOND);
      expect(await datanetRegistry.contributionByHash(1n, H2)).to.equal(0n);
      await expectDatanetBondsConserved(openToken, datanetRegistry);
    });

    it("sends the rejected bonds to the treasury in one BondsSlashed", async () => {
      const { datanetRegistry, openToken, alice, treasury } = await networkHelpers.loadFixture(batchFixture);
      const tx = datanetRegistry.connect(alice).reviewBatch([1n, 2n, 3n, 4n], [false, true, false, false]);
      await expect(tx).to.changeTokenBalances(ethers, openToken, [datanetRegistry, treasury], [-3n * BOND, 3n * BOND]);
      await expect(tx)
        .to.emit(datanetRegistry, "BondsSlashed")
        .withArgs(treasury, 3n * BOND);
      const receipt = await (await tx).wait();
      if (receipt === null) throw new Error("missing receipt");
      const slashes = receipt.logs.filter((log) => datanetRegistry.interface.parseLog(log)?.name === "BondsSlashed");
      expect(slashes).to.have.length(1);
    });

    it("emits ContributionReviewed for every contribution, and no BondsSlashed when all are accepted", async () => {
      const { datanetRegistry, carol } = await networkHelpers.loadFixture(batchFixture);
      const tx = datanetRegistry.connect(carol).reviewBatch([2n, 4n], [true, true]);
      await expect(tx).to.emit(datanetRegistry, "ContributionReviewed").withArgs(2n, 1n, carol.address, true, BOND);
      await expect(tx).to.emit(datanetRegistry, "ContributionReviewed").withArgs(4n, 1n, carol.address, true, BOND);
      await expect(tx).to.not.emit(datanetRegistry, "BondsSlashed");
    });

    describe("the largest accepted batch", function () {
      // Building MAX_REVIEW_BATCH contributions from as many fresh accounts takes a few seconds: never time out.
      this.timeout(10 * 60 * 1000);

      it("executes MAX_REVIEW_BATCH cold reviews under the 16,777,216-gas transaction cap with a quarter of it to spare", async function () {
        skipUnderCoverage(this);
        const { datanetRegistry, openToken, alice, treasury, max, contributors } =
          await networkHelpers.loadFixture(largestBatchFixture);
        const ids = contributors.map((_, i) => BigInt(i + 1));
        // The costliest mix: accepting credits a refund slot that was never written (20,000 gas each), and the
        // one rejection adds the treasury transfer. Every contributor differs, so no slot is warm.
        const accepts = ids.map((_, i) => i !== ids.length - 1);
        const tx = await datanetRegistry.connect(alice).reviewBatch(ids, accepts, { gasLimit: TX_GAS_CAP });
        const receipt = await tx.wait();
        if (receipt === null) throw new Error("missing receipt");
        expect(receipt.status, "executed").to.equal(1);
        expect(receipt.gasUsed, "gas used by the largest batch").to.be.lessThanOrEqual((TX_GAS_CAP * 3n) / 4n);

        expect(ids).to.have.length(Number(max));
        expect((await datanetRegistry.getDatanet(1n)).acceptedCount).to.equal(max - 1n);
        const last = defined(contributors.at(-1), "last contributor");
        expect(await datanetRegistry.refundOf(last)).to.equal(0n);
        for (const contributor of contributors.slice(0, -1)) {
          expect(await datanetRegistry.refundOf(contributor)).to.equal(BOND);
        }
        await expect(tx).to.emit(datanetRegistry, "BondsSlashed").withArgs(treasury, BOND);
        expect(await openToken.balanceOf(datanetRegistry)).to.equal((max - 1n) * BOND);
      });
    });
  });

  describe("penalize", () => {
    it("reverts with DatanetRegistryUnknownContribution for an unknown id", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(datanetRegistry.connect(alice).penalize(2n, "spam"))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownContribution")
        .withArgs(2n);
    });

    it("reverts with DatanetRegistryNotCuratorOrGovernance for anyone else", async () => {
      const { datanetRegistry, bob, erin, guardian } = await networkHelpers.loadFixture(acceptedFixture);
      for (const caller of [bob, erin, guardian]) {
        await expect(datanetRegistry.connect(caller).penalize(1n, "spam"))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotCuratorOrGovernance")
          .withArgs(1n, caller.address);
      }
    });

    it("reverts with DatanetRegistryUnexpectedContributionStatus(Pending) for a pending contribution", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(pendingFixture);
      await expect(datanetRegistry.connect(alice).penalize(1n, "spam"))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnexpectedContributionStatus")
        .withArgs(1n, ContributionStatus.Pending);
    });

    it("reverts with DatanetRegistryUnexpectedContributionStatus(Rejected) for a rejected contribution", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(pendingFixture);
      await datanetRegistry.connect(alice).review(1n, false);
      await expect(datanetRegistry.connect(alice).penalize(1n, "spam"))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnexpectedContributionStatus")
        .withArgs(1n, ContributionStatus.Rejected);
    });

    it("reverts with DatanetRegistryUnexpectedContributionStatus(Penalized) when penalized twice", async () => {
      const { datanetRegistry, alice, governance } = await networkHelpers.loadFixture(acceptedFixture);
      await datanetRegistry.connect(alice).penalize(1n, "spam");
      await expect(datanetRegistry.connect(governance).penalize(1n, "spam again"))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnexpectedContributionStatus")
        .withArgs(1n, ContributionStatus.Penalized);
    });

    it("lets a curator penalize an accepted contribution and emits ContributionPenalized", async () => {
      const { datanetRegistry, carol } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(datanetRegistry.connect(carol).penalize(1n, "copyrighted content"))
        .to.emit(datanetRegistry, "ContributionPenalized")
        .withArgs(1n, 1n, carol.address, "copyrighted content");
      expect((await datanetRegistry.getContribution(1n)).status).to.equal(ContributionStatus.Penalized);
    });

    it("lets governance (the timelock) penalize an accepted contribution", async () => {
      const { datanetRegistry, governance, treasury } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(datanetRegistry.connect(governance).penalize(1n, "adversarial"))
        .to.emit(datanetRegistry, "ContributionPenalized")
        .withArgs(1n, 1n, treasury, "adversarial");
      expect((await datanetRegistry.getContribution(1n)).status).to.equal(ContributionStatus.Penalized);
    });

    it("makes the contribution forfeit attribution but keeps it counted and its credited refund claimable", async () => {
      const { datanetRegistry, openToken, alice, bob } = await networkHelpers.loadFixture(acceptedFixture);
      expect(await datanetRegistry.isEligible(1n, [1n])).to.equal(true);
      await datanetRegistry.connect(alice).penalize(1n, "spam");
      expect(await datanetRegistry.isEligible(1n, [1n])).to.equal(false);
      expect(await datanetRegistry.attributionRecords([1n], [1n])).to.deep.equal([
        attributionRecord(bob.address, Eligibility.Forfeited),
      ]);
      expect((await datanetRegistry.getDatanet(1n)).acceptedCount).to.equal(1n);
      expect(await datanetRegistry.refundOf(bob)).to.equal(BOND);
      await expectDatanetBondsConserved(openToken, datanetRegistry);
    });

    it("still works while contributions are paused", async () => {
      const { datanetRegistry, alice, guardian } = await networkHelpers.loadFixture(acceptedFixture);
      await datanetRegistry.connect(guardian).pause();
      await expect(datanetRegistry.connect(alice).penalize(1n, "spam")).to.emit(
        datanetRegistry,
        "ContributionPenalized",
      );
    });
  });

  describe("publishVersion", () => {
    it("reverts with DatanetRegistryUnknownDatanet for an unknown datanet", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(datanetRegistry.connect(alice).publishVersion(3n, ROOT, 1n, VERSION_URI))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownDatanet")
        .withArgs(3n);
    });

    it("reverts with DatanetRegistryNotCurator for a non-curator", async () => {
      const { datanetRegistry, bob, governance } = await networkHelpers.loadFixture(acceptedFixture);
      for (const caller of [bob, governance]) {
        await expect(datanetRegistry.connect(caller).publishVersion(1n, ROOT, 1n, VERSION_URI))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNotCurator")
          .withArgs(1n, caller.address);
      }
    });

    it("reverts with DatanetRegistryZeroMerkleRoot for a zero root", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(
        datanetRegistry.connect(alice).publishVersion(1n, ZeroHash, 1n, VERSION_URI),
      ).to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryZeroMerkleRoot");
    });

    it("reverts with DatanetRegistryInvalidVersionCount for a count of zero", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(datanetRegistry.connect(alice).publishVersion(1n, ROOT, 0n, VERSION_URI))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryInvalidVersionCount")
        .withArgs(0n, 1n);
    });

    it("reverts with DatanetRegistryInvalidVersionCount for more leaves than accepted contributions", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(datanetRegistry.connect(alice).publishVersion(1n, ROOT, 2n, VERSION_URI))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryInvalidVersionCount")
        .withArgs(2n, 1n);
    });

    it("reverts with DatanetRegistryInvalidVersionCount while nothing is accepted", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(pendingFixture);
      await expect(datanetRegistry.connect(alice).publishVersion(1n, ROOT, 1n, VERSION_URI))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryInvalidVersionCount")
        .withArgs(1n, 0n);
    });

    it("publishes version 1, stores it and emits VersionPublished", async () => {
      const { datanetRegistry, carol } = await networkHelpers.loadFixture(acceptedFixture);
      expect(await datanetRegistry.connect(carol).publishVersion.staticCall(1n, ROOT, 1n, VERSION_URI)).to.equal(1n);
      const publishedAt = await pinNextTimestamp();
      await expect(datanetRegistry.connect(carol).publishVersion(1n, ROOT, 1n, VERSION_URI))
        .to.emit(datanetRegistry, "VersionPublished")
        .withArgs(1n, 1n, ROOT, 1n, VERSION_URI);
      const v = await datanetRegistry.getVersion(1n, 1n);
      expect(v.merkleRoot).to.equal(ROOT);
      expect(v.count).to.equal(1n);
      expect(v.publishedAt).to.equal(publishedAt);
      expect(v.uri).to.equal(VERSION_URI);
      expect((await datanetRegistry.getDatanet(1n)).versionCount).to.equal(1n);
    });

    it("numbers later versions in sequence per datanet and keeps the earlier ones", async () => {
      const { datanetRegistry, alice, carol, bob } = await networkHelpers.loadFixture(acceptedFixture);
      await datanetRegistry.connect(alice).publishVersion(1n, ROOT, 1n, VERSION_URI);
      const root2 = contentHash("root 2");
      await expect(datanetRegistry.connect(alice).publishVersion(1n, root2, 1n, "ipfs://v2"))
        .to.emit(datanetRegistry, "VersionPublished")
        .withArgs(1n, 2n, root2, 1n, "ipfs://v2");
      expect((await datanetRegistry.getVersion(1n, 1n)).merkleRoot).to.equal(ROOT);
      expect((await datanetRegistry.getVersion(1n, 2n)).merkleRoot).to.equal(root2);
      // Datanet 2 numbers its own versions from 1.
      await contribute(datanetRegistry, bob, 2n, H1, BOND_2);
      await datanetRegistry.connect(carol).review(2n, true);
      await expect(datanetRegistry.connect(carol).publishVersion(2n, root2, 1n, "ipfs://d2v1"))
        .to.emit(datanetRegistry, "VersionPublished")
        .withArgs(2n, 1n, root2, 1n, "ipfs://d2v1");
    });

    it("counts penalized contributions among the accepted ones", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(acceptedFixture);
      await datanetRegistry.connect(alice).penalize(1n, "spam");
      await expect(datanetRegistry.connect(alice).publishVersion(1n, ROOT, 1n, VERSION_URI)).to.emit(
        datanetRegistry,
        "VersionPublished",
      );
    });
  });

  describe("getVersion", () => {
    it("reverts with DatanetRegistryUnknownVersion for version 0 or one not yet published", async () => {
      const { datanetRegistry } = await networkHelpers.loadFixture(versionFixture);
      for (const version of [0n, 2n]) {
        await expect(datanetRegistry.getVersion(1n, version))
          .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownVersion")
          .withArgs(1n, version);
      }
      await expect(datanetRegistry.getVersion(2n, 1n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownVersion")
        .withArgs(2n, 1n);
    });

    it("reverts with DatanetRegistryUnknownDatanet for an unknown datanet", async () => {
      const { datanetRegistry } = await networkHelpers.loadFixture(versionFixture);
      await expect(datanetRegistry.getVersion(3n, 1n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownDatanet")
        .withArgs(3n);
    });
  });

  describe("verifyInclusion", () => {
    it("is true for every member with its proof from the standard Merkle tree", async () => {
      const { datanetRegistry, tree } = await networkHelpers.loadFixture(versionFixture);
      expect((await datanetRegistry.getVersion(1n, 1n)).merkleRoot).to.equal(tree.root);
      for (const [index, [contributionId]] of tree.entries()) {
        expect(
          await datanetRegistry.verifyInclusion(1n, 1n, defined(contributionId, "leaf"), tree.getProof(index)),
          `contribution ${contributionId}`,
        ).to.equal(true);
      }
    });

    it("is false for a contribution of the datanet that is not in the version", async () => {
      const { datanetRegistry, tree, alice } = await networkHelpers.loadFixture(versionFixture);
      await datanetRegistry.connect(alice).review(4n, true);
      for (let index = 0; index < 3; index++) {
        expect(await datanetRegistry.verifyInclusion(1n, 1n, 4n, tree.getProof(index))).to.equal(false);
      }
      expect(await datanetRegistry.verifyInclusion(1n, 1n, 4n, [])).to.equal(false);
    });

    it("is false for a member presented with another member's proof", async () => {
      const { datanetRegistry, tree } = await networkHelpers.loadFixture(versionFixture);
      expect(await datanetRegistry.verifyInclusion(1n, 1n, 1n, tree.getProof(1))).to.equal(false);
    });

    it("is false for a contribution of another datanet, even when the published tree contains it", async () => {
      const { datanetRegistry, alice } = await networkHelpers.loadFixture(versionFixture);
      // A careless curator includes contribution 5 (datanet 2) in version 2 of datanet 1.
      const tree = StandardMerkleTree.of(
        [1n, 2n, 5n].map((contributionId) => [contributionId]),
        ["uint256"],
      );
      await datanetRegistry.connect(alice).publishVersion(1n, tree.root, 3n, "ipfs://v2");
      const proof = tree.getProof([5n]);
      expect(StandardMerkleTree.verify(tree.root, ["uint256"], [5n], proof)).to.equal(true);
      expect(await datanetRegistry.verifyInclusion(1n, 2n, 5n, proof)).to.equal(false);
      expect(await datanetRegistry.verifyInclusion(1n, 2n, 1n, tree.getProof([1n]))).to.equal(true);
    });

    it("stays true for a member penalized after publication: a version is a snapshot", async () => {
      const { datanetRegistry, tree, governance } = await networkHelpers.loadFixture(versionFixture);
      await datanetRegistry.connect(governance).penalize(2n, "adversarial");
      expect(await datanetRegistry.verifyInclusion(1n, 1n, 2n, tree.getProof([2n]))).to.equal(true);
      expect(await datanetRegistry.isEligible(2n, [1n])).to.equal(false);
    });

    it("is false for an unknown contribution", async () => {
      const { datanetRegistry, tree } = await networkHelpers.loadFixture(versionFixture);
      expect(await datanetRegistry.verifyInclusion(1n, 1n, 99n, tree.getProof(0))).to.equal(false);
    });

    it("reverts with DatanetRegistryUnknownVersion for a version not published", async () => {
      const { datanetRegistry, tree } = await networkHelpers.loadFixture(versionFixture);
      await expect(datanetRegistry.verifyInclusion(1n, 2n, 1n, tree.getProof(0)))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownVersion")
        .withArgs(1n, 2n);
    });

    it("reverts with DatanetRegistryUnknownDatanet for an unknown datanet", async () => {
      const { datanetRegistry, tree } = await networkHelpers.loadFixture(versionFixture);
      await expect(datanetRegistry.verifyInclusion(3n, 1n, 1n, tree.getProof(0)))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryUnknownDatanet")
        .withArgs(3n);
    });
  });

  describe("attributionRecords and isEligible", () => {
    type Who = "bob" | "carol";
    /** One contribution of statusFixture asked about for a model on `datanets`, and the expected answer. */
    const CASES: readonly {
      what: string;
      contributionId: bigint;
      datanets: bigint[];
      eligibility: bigint;
      contributor?: Who;
    }[] = [
      {
        what: "Accepted, its datanet listed",
        contributionId: 1n,
        datanets: [1n],
        eligibility: Eligibility.Eligible,
        contributor: "bob",
      },
      {
        what: "Accepted, its datanet among others (any order)",
        contributionId: 1n,
        datanets: [2n, 7n, 1n],
        eligibility: Eligibility.Eligible,
        contributor: "bob",
      },
      {
        what: "Accepted in datanet 2, listed",
        contributionId: 5n,
        datanets: [1n, 2n],
        eligibility: Eligibility.Eligible,
        contributor: "bob",
      },
      {
        what: "Accepted, its datanet not listed",
        contributionId: 1n,
        datanets: [2n],
        eligibility: Eligibility.Invalid,
      },
      { what: "Accepted, no datanet listed", contributionId: 1n, datanets: [], eligibility: Eligibility.Invalid },
      {
        what: "Accepted in datanet 2, only datanet 1 listed",
        contributionId: 5n,
        datanets: [1n],
        eligibility: Eligibility.Invalid,
      },
      { what: "Pending, its datanet listed", contributionId: 2n, datanets: [1n], eligibility: Eligibility.Invalid },
      { what: "Rejected, its datanet listed", contributionId: 3n, datanets: [1n], eligibility: Eligibility.Invalid },
      {
        what: "Penalized, its datanet listed",
        contributionId: 4n,
        datanets: [1n],
        eligibility: Eligibility.Forfeited,
        contributor: "carol",
      },
      {
        what: "Penalized, its datanet not listed",
        contributionId: 4n,
        datanets: [2n],
        eligibility: Eligibility.Invalid,
      },
      { what: "unknown, listing datanet 0", contributionId: 99n, datanets: [0n, 1n], eligibility: Eligibility.Invalid },
      { what: "id 0, listing datanet 0", contributionId: 0n, datanets: [0n], eligibility: Eligibility.Invalid },
    ];

    it("statusFixture holds one contribution in each status", async () => {
      const { datanetRegistry } = await networkHelpers.loadFixture(statusFixture);
      const statuses = [];
      for (const contributionId of [1n, 2n, 3n, 4n, 5n]) {
        statuses.push((await datanetRegistry.getContribution(contributionId)).status);
      }
      expect(statuses).to.deep.equal([
        ContributionStatus.Accepted,
        ContributionStatus.Pending,
        ContributionStatus.Rejected,
        ContributionStatus.Penalized,
        ContributionStatus.Accepted,
      ]);
    });

    for (const { what, contributionId, datanets, eligibility, contributor } of CASES) {
      const name = Object.entries(Eligibility).find(([, value]) => value === eligibility)?.[0];
      it(`${what}: ${name}${contributor === undefined ? " (the zero record)" : `, for ${contributor}`}; isEligible ${eligibility === Eligibility.Eligible}`, async () => {
        const f = await networkHelpers.loadFixture(statusFixture);
        const expected = contributor === undefined ? 0n : attributionRecord(f[contributor].address, eligibility);
        const [record] = await f.datanetRegistry.attributionRecords([contributionId], datanets);
        expect(record).to.equal(expected);
        if (contributor !== undefined) {
          expect(decodeAttributionRecord(defined(record, "record"))).to.deep.equal({
            contributor: f[contributor].address,
            eligibility,
          });
        }
        expect(await f.datanetRegistry.isEligible(contributionId, datanets)).to.equal(
          eligibility === Eligibility.Eligible,
        );
      });
    }

    it("answers for many contributions at once, in their order, repeats included", async () => {
      const { datanetRegistry, bob, carol } = await networkHelpers.loadFixture(statusFixture);
      const ids = [4n, 1n, 2n, 99n, 1n, 3n, 5n];
      expect(await datanetRegistry.attributionRecords(ids, [1n])).to.deep.equal([
        attributionRecord(carol.address, Eligibility.Forfeited),
        attributionRecord(bob.address, Eligibility.Eligible),
        0n,
        0n,
        attributionRecord(bob.address, Eligibility.Eligible),
        0n,
        0n,
      ]);
      expect(await datanetRegistry.attributionRecords([], [1n])).to.deep.equal([]);
    });

    it("follows a contribution through its lifecycle: Invalid while pending, Eligible once accepted, Forfeited once penalized", async () => {
      const { datanetRegistry, alice, bob } = await networkHelpers.loadFixture(pendingFixture);
      const recordOf = async () => (await datanetRegistry.attributionRecords([1n], [1n]))[0];
      expect(await recordOf()).to.equal(0n);
      await datanetRegistry.connect(alice).review(1n, true);
      expect(await recordOf()).to.equal(attributionRecord(bob.address, Eligibility.Eligible));
      await datanetRegistry.connect(alice).penalize(1n, "spam");
      expect(await recordOf()).to.equal(attributionRecord(bob.address, Eligibility.Forfeited));
    });
  });

  describe("claimRefund", () => {
    it("reverts with DatanetRegistryNothingToClaim when nothing was credited", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(pendingFixture);
      await expect(datanetRegistry.connect(bob).claimRefund())
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNothingToClaim")
        .withArgs(bob.address);
    });

    it("pays the credited bonds to the caller, zeroes the credit and emits RefundClaimed", async () => {
      const { datanetRegistry, openToken, bob } = await networkHelpers.loadFixture(acceptedFixture);
      expect(await datanetRegistry.connect(bob).claimRefund.staticCall()).to.equal(BOND);
      const tx = datanetRegistry.connect(bob).claimRefund();
      await expect(tx).to.changeTokenBalances(ethers, openToken, [bob, datanetRegistry], [BOND, -BOND]);
      await expect(tx).to.emit(datanetRegistry, "RefundClaimed").withArgs(bob.address, bob.address, BOND);
      expect(await datanetRegistry.refundOf(bob)).to.equal(0n);
      await expectDatanetBondsConserved(openToken, datanetRegistry);
    });

    it("reverts a second claim with DatanetRegistryNothingToClaim", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(acceptedFixture);
      await datanetRegistry.connect(bob).claimRefund();
      await expect(datanetRegistry.connect(bob).claimRefund())
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNothingToClaim")
        .withArgs(bob.address);
    });

    it("pays the bonds of several accepted contributions, across datanets, at once", async () => {
      const { datanetRegistry, openToken, alice, carol, bob } = await networkHelpers.loadFixture(batchFixture);
      await datanetRegistry.connect(alice).reviewBatch([1n, 2n, 3n], [true, false, true]);
      await datanetRegistry.connect(carol).review(5n, true);
      const expected = 2n * BOND + BOND_2;
      expect(await datanetRegistry.refundOf(bob)).to.equal(expected);
      await expect(datanetRegistry.connect(bob).claimRefund()).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, datanetRegistry],
        [expected, -expected],
      );
    });
  });

  describe("claimRefundTo", () => {
    it("reverts with ProtocolAdminZeroAddress for the zero address", async () => {
      const { datanetRegistry, bob } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(datanetRegistry.connect(bob).claimRefundTo(ZeroAddress)).to.be.revertedWithCustomError(
        datanetRegistry,
        "ProtocolAdminZeroAddress",
      );
    });

    it("reverts with ProtocolAdminInvalidRecipient for the registry itself, where the OPEN would be locked", async () => {
      const { datanetRegistry, openToken, bob } = await networkHelpers.loadFixture(acceptedFixture);
      const registry = await datanetRegistry.getAddress();
      await expect(datanetRegistry.connect(bob).claimRefundTo(registry))
        .to.be.revertedWithCustomError(datanetRegistry, "ProtocolAdminInvalidRecipient")
        .withArgs(registry);
      expect(await datanetRegistry.refundOf(bob)).to.equal(BOND);
      await expectDatanetBondsConserved(openToken, datanetRegistry);
    });

    it("reverts with ProtocolAdminInvalidRecipient for the OPEN token, whose balance nobody controls", async () => {
      const { datanetRegistry, openToken, bob } = await networkHelpers.loadFixture(acceptedFixture);
      const token = await openToken.getAddress();
      await expect(datanetRegistry.connect(bob).claimRefundTo(token))
        .to.be.revertedWithCustomError(datanetRegistry, "ProtocolAdminInvalidRecipient")
        .withArgs(token);
      expect(await datanetRegistry.refundOf(bob)).to.equal(BOND);
    });

    it("checks the recipient before the credit: an invalid recipient is named even with nothing to claim", async () => {
      const { datanetRegistry, erin } = await networkHelpers.loadFixture(acceptedFixture);
      const registry = await datanetRegistry.getAddress();
      await expect(datanetRegistry.connect(erin).claimRefundTo(registry))
        .to.be.revertedWithCustomError(datanetRegistry, "ProtocolAdminInvalidRecipient")
        .withArgs(registry);
    });

    it("reverts with DatanetRegistryNothingToClaim when the caller has nothing credited", async () => {
      const { datanetRegistry, carol, bob } = await networkHelpers.loadFixture(acceptedFixture);
      await expect(datanetRegistry.connect(carol).claimRefundTo(bob))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryNothingToClaim")
        .withArgs(carol.address);
    });

    it("pays the caller's credit to the recipient, zeroes it and emits RefundClaimed", async () => {
      const { datanetRegistry, openToken, bob, erin } = await networkHelpers.loadFixture(acceptedFixture);
      expect(await datanetRegistry.connect(bob).claimRefundTo.staticCall(erin)).to.equal(BOND);
      const tx = datanetRegistry.connect(bob).claimRefundTo(erin);
      await expect(tx).to.changeTokenBalances(ethers, openToken, [bob, erin, datanetRegistry], [0n, BOND, -BOND]);
      await expect(tx).to.emit(datanetRegistry, "RefundClaimed").withArgs(bob.address, erin.address, BOND);
      expect(await datanetRegistry.refundOf(bob)).to.equal(0n);
      expect(await datanetRegistry.refundOf(erin)).to.equal(0n);
    });
  });

  describe("while paused", () => {
    it("leaves reviews, batch reviews, penalties, versions and refund claims working", async () => {
      const { datanetRegistry, openToken, guardian, alice, bob, carol, erin } =
        await networkHelpers.loadFixture(batchFixture);
      await datanetRegistry.connect(guardian).pause();
      await datanetRegistry.connect(alice).review(1n, true);
      await datanetRegistry.connect(alice).reviewBatch([2n, 3n], [true, false]);
      await datanetRegistry.connect(alice).penalize(2n, "spam");
      await datanetRegistry.connect(alice).publishVersion(1n, ROOT, 2n, VERSION_URI);
      await expect(datanetRegistry.connect(bob).claimRefund()).to.changeTokenBalances(
        ethers,
        openToken,
        [bob],
        [2n * BOND],
      );
      await datanetRegistry.connect(carol).review(5n, true);
      await expect(datanetRegistry.connect(bob).claimRefundTo(erin)).to.changeTokenBalances(
        ethers,
        openToken,
        [erin],
        [BOND_2],
      );
      expect(await datanetRegistry.paused()).to.equal(true);
    });
  });

  describe("access control", () => {
    shouldBehaveLikeGovernanceOnly<DatanetRegistry>(async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      // Neither the deployer, a datanet owner, the guardian nor the governor itself is governance.
      const governorSigner = await impersonate(connection, await f.governor.getAddress());
      return { contract: f.datanetRegistry, callers: [f.deployer, f.alice, f.guardian, governorSigner] };
    }, [{ name: "setBondBounds", call: (c, caller) => c.connect(caller).setBondBounds(0n, MAX_CONTRIBUTION_BOND) }]);
  });

  describe("setBondBounds", () => {
    it("reverts with DatanetRegistryInvalidBondBounds when the minimum exceeds the maximum", async () => {
      const { datanetRegistry, governance } = await networkHelpers.loadFixture(registryFixture);
      await expect(datanetRegistry.connect(governance).setBondBounds(open(2n), open(1n)))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryInvalidBondBounds")
        .withArgs(open(2n), open(1n), MAX_CONTRIBUTION_BOND);
    });

    it("reverts with DatanetRegistryInvalidBondBounds above MAX_CONTRIBUTION_BOND", async () => {
      const { datanetRegistry, governance } = await networkHelpers.loadFixture(registryFixture);
      await expect(datanetRegistry.connect(governance).setBondBounds(0n, MAX_CONTRIBUTION_BOND + 1n))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryInvalidBondBounds")
        .withArgs(0n, MAX_CONTRIBUTION_BOND + 1n, MAX_CONTRIBUTION_BOND);
    });

    it("accepts bounds up to MAX_CONTRIBUTION_BOND and emits BondBoundsUpdated with the old and new bounds", async () => {
      const { datanetRegistry, governance } = await networkHelpers.loadFixture(registryFixture);
      await expect(datanetRegistry.connect(governance).setBondBounds(MAX_CONTRIBUTION_BOND, MAX_CONTRIBUTION_BOND))
        .to.emit(datanetRegistry, "BondBoundsUpdated")
        .withArgs(MIN_BOND, MAX_BOND, MAX_CONTRIBUTION_BOND, MAX_CONTRIBUTION_BOND);
      const [minBond, maxBond] = await datanetRegistry.bondBounds();
      expect(minBond).to.equal(MAX_CONTRIBUTION_BOND);
      expect(maxBond).to.equal(MAX_CONTRIBUTION_BOND);
    });

    it("applies to later datanets and bond changes while existing datanets keep their bond", async () => {
      const { datanetRegistry, openToken, governance, alice, bob } = await networkHelpers.loadFixture(datanetFixture);
      await datanetRegistry.connect(governance).setBondBounds(open(100n), open(200n));
      await expect(datanetRegistry.connect(alice).createDatanet(DATANET_URI, BOND))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondOutOfBounds")
        .withArgs(BOND, open(100n), open(200n));
      await expect(datanetRegistry.connect(alice).setContributionBond(1n, BOND))
        .to.be.revertedWithCustomError(datanetRegistry, "DatanetRegistryBondOutOfBounds")
        .withArgs(BOND, open(100n), open(200n));
      await expect(contribute(datanetRegistry, bob, 1n, H1)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, datanetRegistry],
        [-BOND, BOND],
      );
    });
  });

  describe("conservation of OPEN", () => {
    it("holds after every step of a scenario with contributions, reviews, penalties, bond changes and claims", async () => {
      const f = await networkHelpers.loadFixture(datanetFixture);
      const { datanetRegistry: registry, openToken, alice, bob, carol, dave, governance, guardian } = f;
      const check = () => expectDatanetBondsConserved(openToken, registry);
      await check();

      await contribute(registry, bob, 1n, H1); // 1
      await contribute(registry, carol, 1n, H2); // 2
      await contribute(registry, bob, 2n, H1, BOND_2); // 3
      await check();

      await registry.connect(alice).setContributionBond(1n, open(7n));
      await contribute(registry, bob, 1n, H3, open(7n)); // 4, bond 7 OPEN
      const permit = await permitFor(f, dave, open(7n));
      await registry
        .connect(dave)
        .contributeWithPermit(1n, H4, uriOf(H4), SIZE, open(7n), permit.deadline, permit.v, permit.r, permit.s); // 5
      await check();

      await registry.connect(alice).review(1n, true);
      await check();
      await registry.connect(carol).reviewBatch([2n, 4n, 5n], [false, true, true]);
      await check();
      await registry.connect(carol).review(3n, false);
      await check();

      await registry.connect(governance).penalize(4n, "adversarial");
      await contribute(registry, carol, 1n, H2, open(7n)); // 6: resubmitted after rejection
      await check();

      await registry.connect(guardian).pause();
      await registry.connect(bob).claimRefund();
      await check();
      await registry.connect(dave).claimRefundTo(carol);
      await check();
      await registry.connect(alice).review(6n, true);
      await registry.connect(governance).unpause();
      await check();

      expect(await registry.refundOf(bob)).to.equal(0n);
      expect(await registry.refundOf(dave)).to.equal(0n);
      // Contribution 6 posted datanet 1's new bond of 7 OPEN: carol's credit is all the registry holds.
      expect(await registry.refundOf(carol)).to.equal(open(7n));
      expect(await openToken.balanceOf(registry)).to.equal(open(7n));
    });
  });
});
