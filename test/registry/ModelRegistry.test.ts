import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { MaxUint256, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import { TEST_REGISTRY_PARAMS, deployProtocol, type Connection } from "../fixtures/protocol.js";
import { ModelRegistry__factory, type ModelRegistry } from "../../types/ethers-contracts/index.js";
import { impersonate } from "../helpers/accounts.js";
import { frontRun } from "../helpers/blocks.js";
import { defined, open } from "../helpers/constants.js";
import { ModelState, contentHash, expectModelBondsConserved, type ModelStateName } from "../helpers/registries.js";
import { shouldBehaveLikeGovernanceOnly } from "../helpers/shouldBehaveLikeGovernanceOnly.js";
import { shouldBehaveLikeProtocolAdmin } from "../helpers/shouldBehaveLikeProtocolAdmin.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const PROPOSAL_BOND = TEST_REGISTRY_PARAMS.modelProposalBond;
const MIN_RATE = TEST_REGISTRY_PARAMS.minRate;
const MAX_RATE = TEST_REGISTRY_PARAMS.maxRate;
const MAX_DATANETS = 16n;
const MAX_PROPOSAL_BOND = open(1_000_000n);
const MAX_RATE_CAP = open(1_000n);
const FUNDS = open(100_000n);
const RATES = { inputRate: open(2n), outputRate: open(5n) } as const;
const MODEL_URI = "ipfs://model/llama-med-8b.json";
const ARTIFACT = contentHash("weights of llama-med-8b");
const ARTIFACT_URI = "ipfs://weights/llama-med-8b";
const ADAPTER = contentHash("LoRA adapter");
const ADAPTER_URI = "ipfs://weights/lora-adapter";

/**
 * The deployed protocol plus: carol owns datanets 1, 2 and 3; bob (the model creator) and alice are
 * funded with 100,000 OPEN and approved for the ModelRegistry; dave is funded without an allowance;
 * erin is a stranger; `governance` is a signer for the timelock (owner and treasury of the registry).
 */
async function registryFixture(conn: Connection) {
  const protocol = await deployProtocol(conn);
  const { openToken, modelRegistry, datanetRegistry, timelock, alice, bob, carol, others } = protocol;
  const dave = defined(others[1], "dave signer");
  const erin = defined(others[2], "erin signer");
  const treasury = await timelock.getAddress();
  const governance = await impersonate(conn, treasury);
  for (const account of [alice, bob, dave]) await openToken.transfer(account, FUNDS);
  for (const account of [alice, bob]) await openToken.connect(account).approve(modelRegistry, MaxUint256);
  for (let i = 1; i <= 3; i++) await datanetRegistry.connect(carol).createDatanet(`ipfs://datanet-${i}`, open(1n));
  return { ...protocol, dave, erin, treasury, governance };
}

/** registryFixture plus bob's model 1 on datanets [1, 2], Proposed. */
async function proposedFixture(conn: Connection) {
  const f = await registryFixture(conn);
  await f.modelRegistry.connect(f.bob).proposeModel(MODEL_URI, [1n, 2n], RATES, PROPOSAL_BOND);
  return f;
}

/** proposedFixture with model 1 approved by governance: Approved. */
async function approvedFixture(conn: Connection) {
  const f = await proposedFixture(conn);
  await f.modelRegistry.connect(f.governance).approveModel(1n);
  return f;
}

/** approvedFixture with model 1's full weights registered: Trained. */
async function trainedFixture(conn: Connection) {
  const f = await approvedFixture(conn);
  await f.modelRegistry.connect(f.bob).registerArtifact(1n, ARTIFACT, ARTIFACT_URI, 0n);
  return f;
}

/** trainedFixture with model 1 activated: Active. */
async function activeFixture(conn: Connection) {
  const f = await trainedFixture(conn);
  await f.modelRegistry.connect(f.bob).activateModel(1n);
  return f;
}

/** Bob's models, one per lifecycle state: 1 Proposed, 2 Approved, 3 Rejected, ... 7 Retired. */
const MODEL_IN: Record<Exclude<ModelStateName, "None">, bigint> = {
  Proposed: 1n,
  Approved: 2n,
  Rejected: 3n,
  Trained: 4n,
  Active: 5n,
  Suspended: 6n,
  Retired: 7n,
};

/** registryFixture plus seven models by bob, model MODEL_IN[state] in each state. */
async function lifecycleFixture(conn: Connection) {
  const f = await registryFixture(conn);
  const { modelRegistry: registry, bob, governance } = f;
  for (let i = 0; i < 7; i++) await registry.connect(bob).proposeModel(MODEL_URI, [1n], RATES, PROPOSAL_BOND);
  for (const modelId of [2n, 4n, 5n, 6n, 7n]) await registry.connect(governance).approveModel(modelId);
  await registry.connect(governance).rejectModel(3n);
  for (const modelId of [4n, 5n, 6n, 7n]) await registry.connect(bob).registerArtifact(modelId, ARTIFACT, "", 0n);
  for (const modelId of [5n, 6n, 7n]) await registry.connect(bob).activateModel(modelId);
  await registry.connect(governance).suspendModel(6n);
  await registry.connect(bob).retireModel(7n);
  return f;
}

type LifecycleFixture = Awaited<ReturnType<typeof lifecycleFixture>>;

/** One lifecycle entry point, with who calls it and the states it leaves from. */
interface Transition {
  name: string;
  call: (f: LifecycleFixture, modelId: bigint) => Promise<unknown>;
  /** Legal origin → destination. */
  legal: Partial<Record<ModelStateName, ModelStateName>>;
}

const TRANSITIONS: readonly Transition[] = [
  {
    name: "approveModel",
    call: (f, modelId) => f.modelRegistry.connect(f.governance).approveModel(modelId),
    legal: { Proposed: "Approved" },
  },
  {
    name: "rejectModel",
    call: (f, modelId) => f.modelRegistry.connect(f.governance).rejectModel(modelId),
    legal: { Proposed: "Rejected" },
  },
  {
    name: "registerArtifact",
    call: (f, modelId) => f.modelRegistry.connect(f.bob).registerArtifact(modelId, ADAPTER, ADAPTER_URI, 0n),
    legal: { Approved: "Trained" },
  },
  {
    name: "activateModel",
    call: (f, modelId) => f.modelRegistry.connect(f.bob).activateModel(modelId),
    legal: { Trained: "Active" },
  },
  {
    name: "suspendModel",
    call: (f, modelId) => f.modelRegistry.connect(f.governance).suspendModel(modelId),
    legal: { Active: "Suspended" },
  },
  {
    name: "resumeModel",
    call: (f, modelId) => f.modelRegistry.connect(f.governance).resumeModel(modelId),
    legal: { Suspended: "Active" },
  },
  {
    name: "retireModel",
    call: (f, modelId) => f.modelRegistry.connect(f.bob).retireModel(modelId),
    legal: { Trained: "Retired", Active: "Retired", Suspended: "Retired" },
  },
  {
    name: "retireModel by governance",
    call: (f, modelId) => f.modelRegistry.connect(f.governance).retireModel(modelId),
    legal: { Trained: "Retired", Active: "Retired", Suspended: "Retired" },
  },
];

/** `signer` proposes a model on `datanetIds`, accepting a proposal bond of at most `maxBond` (by default the deployed one). */
function propose(
  registry: ModelRegistry,
  signer: HardhatEthersSigner,
  datanetIds: bigint[],
  rates: { inputRate: bigint; outputRate: bigint } = RATES,
  maxBond: bigint = PROPOSAL_BOND,
) {
  return registry.connect(signer).proposeModel(MODEL_URI, datanetIds, rates, maxBond);
}

describe("ModelRegistry", () => {
  describe("constructor", () => {
    async function deployArgs() {
      const f = await networkHelpers.loadFixture(registryFixture);
      const admin = { governance: f.treasury, treasury: f.treasury, guardian: f.guardian.address };
      const parameters = { proposalBond: PROPOSAL_BOND, minRate: MIN_RATE, maxRate: MAX_RATE };
      return { f, admin, parameters, factory: new ModelRegistry__factory(f.deployer) };
    }

    it("reverts with ModelRegistryZeroAddress when OPEN is the zero address", async () => {
      const { f, admin, parameters, factory } = await deployArgs();
      await expect(factory.deploy(ZeroAddress, f.datanetRegistry, admin, parameters)).to.be.revertedWithCustomError(
        factory,
        "ModelRegistryZeroAddress",
      );
    });

    it("reverts with ModelRegistryZeroAddress when the datanet registry is the zero address", async () => {
      const { f, admin, parameters, factory } = await deployArgs();
      await expect(factory.deploy(f.openToken, ZeroAddress, admin, parameters)).to.be.revertedWithCustomError(
        factory,
        "ModelRegistryZeroAddress",
      );
    });

    it("reverts with ProtocolAdminZeroAddress when the treasury is the zero address", async () => {
      const { f, admin, parameters, factory } = await deployArgs();
      await expect(
        factory.deploy(f.openToken, f.datanetRegistry, { ...admin, treasury: ZeroAddress }, parameters),
      ).to.be.revertedWithCustomError(factory, "ProtocolAdminZeroAddress");
    });

    it("reverts with OwnableInvalidOwner when governance is the zero address", async () => {
      const { f, admin, parameters, factory } = await deployArgs();
      await expect(factory.deploy(f.openToken, f.datanetRegistry, { ...admin, governance: ZeroAddress }, parameters))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("reverts with ModelRegistryProposalBondTooHigh above MAX_PROPOSAL_BOND", async () => {
      const { f, admin, parameters, factory } = await deployArgs();
      await expect(
        factory.deploy(f.openToken, f.datanetRegistry, admin, { ...parameters, proposalBond: MAX_PROPOSAL_BOND + 1n }),
      )
        .to.be.revertedWithCustomError(factory, "ModelRegistryProposalBondTooHigh")
        .withArgs(MAX_PROPOSAL_BOND + 1n, MAX_PROPOSAL_BOND);
    });

    it("reverts with ModelRegistryInvalidRateBounds when the minimum exceeds the maximum", async () => {
      const { f, admin, parameters, factory } = await deployArgs();
      await expect(factory.deploy(f.openToken, f.datanetRegistry, admin, { ...parameters, minRate: MAX_RATE + 1n }))
        .to.be.revertedWithCustomError(factory, "ModelRegistryInvalidRateBounds")
        .withArgs(MAX_RATE + 1n, MAX_RATE, MAX_RATE_CAP);
    });

    it("reverts with ModelRegistryInvalidRateBounds when the maximum exceeds MAX_RATE", async () => {
      const { f, admin, parameters, factory } = await deployArgs();
      await expect(
        factory.deploy(f.openToken, f.datanetRegistry, admin, {
          ...parameters,
          minRate: 0n,
          maxRate: MAX_RATE_CAP + 1n,
        }),
      )
        .to.be.revertedWithCustomError(factory, "ModelRegistryInvalidRateBounds")
        .withArgs(0n, MAX_RATE_CAP + 1n, MAX_RATE_CAP);
    });

    it("accepts no guardian and emits OwnershipTransferred, TreasuryUpdated, GuardianUpdated, ProposalBondUpdated and RateBoundsUpdated from zero values", async () => {
      const { f, admin, factory } = await deployArgs();
      const contract = await factory.deploy(
        f.openToken,
        f.datanetRegistry,
        { ...admin, guardian: ZeroAddress },
        { proposalBond: MAX_PROPOSAL_BOND, minRate: 1n, maxRate: MAX_RATE_CAP },
      );
      const deployment = contract.deploymentTransaction();
      await expect(deployment).to.emit(contract, "OwnershipTransferred").withArgs(ZeroAddress, f.treasury);
      await expect(deployment).to.emit(contract, "TreasuryUpdated").withArgs(ZeroAddress, f.treasury);
      await expect(deployment).to.emit(contract, "GuardianUpdated").withArgs(ZeroAddress, ZeroAddress);
      await expect(deployment).to.emit(contract, "ProposalBondUpdated").withArgs(0n, MAX_PROPOSAL_BOND);
      await expect(deployment).to.emit(contract, "RateBoundsUpdated").withArgs(0n, 0n, 1n, MAX_RATE_CAP);
      expect(await contract.guardian()).to.equal(ZeroAddress);
    });
  });

  describe("initial state", () => {
    it("is owned by the timelock, which is also the treasury, and checks datanets against the DatanetRegistry", async () => {
      const { modelRegistry, datanetRegistry, openToken, treasury } = await networkHelpers.loadFixture(registryFixture);
      expect(await modelRegistry.owner()).to.equal(treasury);
      expect(await modelRegistry.pendingOwner()).to.equal(ZeroAddress);
      expect(await modelRegistry.treasury()).to.equal(treasury);
      expect(await modelRegistry.openToken()).to.equal(await openToken.getAddress());
      expect(await modelRegistry.datanetRegistry()).to.equal(await datanetRegistry.getAddress());
    });

    it("has the fixture's guardian and starts unpaused", async () => {
      const { modelRegistry, guardian } = await networkHelpers.loadFixture(registryFixture);
      expect(await modelRegistry.guardian()).to.equal(guardian.address);
      expect(await modelRegistry.paused()).to.equal(false);
    });

    it("has the deployment proposal bond and rate bounds, and the constants", async () => {
      const { modelRegistry } = await networkHelpers.loadFixture(registryFixture);
      expect(await modelRegistry.proposalBond()).to.equal(PROPOSAL_BOND);
      const [minRate, maxRate] = await modelRegistry.rateBounds();
      expect(minRate).to.equal(MIN_RATE);
      expect(maxRate).to.equal(MAX_RATE);
      expect(await modelRegistry.MAX_DATANETS()).to.equal(MAX_DATANETS);
      expect(await modelRegistry.MAX_PROPOSAL_BOND()).to.equal(MAX_PROPOSAL_BOND);
      expect(await modelRegistry.MAX_RATE()).to.equal(MAX_RATE_CAP);
      expect(await modelRegistry.modelCount()).to.equal(0n);
    });
  });

  shouldBehaveLikeProtocolAdmin(async () => {
    const f = await networkHelpers.loadFixture(registryFixture);
    return { ...f, contract: f.modelRegistry, strangers: [f.erin, f.bob, f.deployer], time };
  }, [{ name: "proposeModel", call: (f) => propose(f.modelRegistry, f.bob, [1n]) }]);

  describe("proposeModel", () => {
    it("reverts with ModelRegistryBondAboveMax(bond, maxBond) when the proposal bond exceeds the caller's maxBond", async () => {
      const { modelRegistry, openToken, bob } = await networkHelpers.loadFixture(registryFixture);
      const balance = await openToken.balanceOf(bob);
      for (const maxBond of [0n, PROPOSAL_BOND - 1n]) {
        await expect(propose(modelRegistry, bob, [1n], RATES, maxBond))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryBondAboveMax")
          .withArgs(PROPOSAL_BOND, maxBond);
      }
      expect(await openToken.balanceOf(bob)).to.equal(balance);
      expect(await modelRegistry.modelCount()).to.equal(0n);
    });

    it("checks the bond cap before the datanets and rates", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [], { inputRate: MAX_RATE + 1n, outputRate: 0n }, 0n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryBondAboveMax")
        .withArgs(PROPOSAL_BOND, 0n);
    });

    it("pulls only the proposal bond when maxBond is higher", async () => {
      const { modelRegistry, openToken, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n], RATES, MaxUint256)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, modelRegistry],
        [-PROPOSAL_BOND, PROPOSAL_BOND],
      );
      expect((await modelRegistry.getModel(1n)).bond).to.equal(PROPOSAL_BOND);
    });

    it("reverts with ModelRegistryInvalidDatanetCount for an empty list", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, []))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryInvalidDatanetCount")
        .withArgs(0n, MAX_DATANETS);
    });

    it("reverts with ModelRegistryInvalidDatanetCount for more than MAX_DATANETS datanets", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      const ids = Array.from({ length: 17 }, (_, i) => BigInt(i + 1));
      await expect(propose(modelRegistry, bob, ids))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryInvalidDatanetCount")
        .withArgs(17n, MAX_DATANETS);
    });

    it("accepts exactly MAX_DATANETS datanets", async () => {
      const { modelRegistry, datanetRegistry, carol, bob } = await networkHelpers.loadFixture(registryFixture);
      for (let i = 4; i <= 16; i++) await datanetRegistry.connect(carol).createDatanet(`ipfs://datanet-${i}`, open(1n));
      const ids = Array.from({ length: 16 }, (_, i) => BigInt(i + 1));
      await propose(modelRegistry, bob, ids);
      expect(Array.from((await modelRegistry.getModel(1n)).datanetIds)).to.deep.equal(ids);
    });

    it("reverts with ModelRegistryUnknownDatanet for a datanet that does not exist", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n, 4n]))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownDatanet")
        .withArgs(4n);
      await expect(propose(modelRegistry, bob, [0n]))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownDatanet")
        .withArgs(0n);
    });

    it("reverts with ModelRegistryDatanetsNotSorted(index) for a decreasing list", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n, 3n, 2n]))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryDatanetsNotSorted")
        .withArgs(2n);
      await expect(propose(modelRegistry, bob, [2n, 1n]))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryDatanetsNotSorted")
        .withArgs(1n);
    });

    it("reverts with ModelRegistryDatanetsNotSorted(index) for a duplicate", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n, 1n]))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryDatanetsNotSorted")
        .withArgs(1n);
      await expect(propose(modelRegistry, bob, [1n, 2n, 2n]))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryDatanetsNotSorted")
        .withArgs(2n);
    });

    it("reverts with ModelRegistryRateOutOfBounds for an input rate above the maximum", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n], { inputRate: MAX_RATE + 1n, outputRate: 0n }))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryRateOutOfBounds")
        .withArgs(MAX_RATE + 1n, MIN_RATE, MAX_RATE);
    });

    it("reverts with ModelRegistryRateOutOfBounds for an output rate above the maximum", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n], { inputRate: 0n, outputRate: MAX_RATE + 1n }))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryRateOutOfBounds")
        .withArgs(MAX_RATE + 1n, MIN_RATE, MAX_RATE);
    });

    it("reverts with ModelRegistryRateOutOfBounds for a rate below a non-zero minimum", async () => {
      const { modelRegistry, governance, bob } = await networkHelpers.loadFixture(registryFixture);
      await modelRegistry.connect(governance).setRateBounds(open(1n), MAX_RATE);
      await expect(propose(modelRegistry, bob, [1n], { inputRate: open(1n), outputRate: open(1n) - 1n }))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryRateOutOfBounds")
        .withArgs(open(1n) - 1n, open(1n), MAX_RATE);
    });

    it("accepts rates at the bounds", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n], { inputRate: MIN_RATE, outputRate: MAX_RATE })).to.emit(
        modelRegistry,
        "ModelProposed",
      );
    });

    it("pulls exactly the proposal bond from the proposer", async () => {
      const { modelRegistry, openToken, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n, 2n])).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, modelRegistry],
        [-PROPOSAL_BOND, PROPOSAL_BOND],
      );
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when the registry is not approved", async () => {
      const { modelRegistry, openToken, dave } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, dave, [1n]))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await modelRegistry.getAddress(), 0n, PROPOSAL_BOND);
    });

    it("numbers models from 1 and stores a Proposed model with its creator, bond, rates and datanets", async () => {
      const { modelRegistry, bob, alice } = await networkHelpers.loadFixture(registryFixture);
      expect(
        await modelRegistry.connect(bob).proposeModel.staticCall(MODEL_URI, [1n, 3n], RATES, PROPOSAL_BOND),
      ).to.equal(1n);
      const proposedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(proposedAt);
      await propose(modelRegistry, bob, [1n, 3n]);
      await propose(modelRegistry, alice, [2n]);
      expect(await modelRegistry.modelCount()).to.equal(2n);
      const m = await modelRegistry.getModel(1n);
      expect(m.creator).to.equal(bob.address);
      expect(m.state).to.equal(ModelState.Proposed);
      expect(m.proposedAt).to.equal(proposedAt);
      expect(m.bond).to.equal(PROPOSAL_BOND);
      expect(m.baseModelId).to.equal(0n);
      expect(m.rates.inputRate).to.equal(RATES.inputRate);
      expect(m.rates.outputRate).to.equal(RATES.outputRate);
      expect(m.artifactHash).to.equal(ZeroHash);
      expect(m.metadataURI).to.equal(MODEL_URI);
      expect(m.artifactURI).to.equal("");
      expect(Array.from(m.datanetIds)).to.deep.equal([1n, 3n]);
      expect((await modelRegistry.getModel(2n)).creator).to.equal(alice.address);
    });

    it("emits ModelProposed with the datanets, rates, bond and metadata", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(propose(modelRegistry, bob, [1n, 2n, 3n]))
        .to.emit(modelRegistry, "ModelProposed")
        .withArgs(1n, bob.address, [1n, 2n, 3n], RATES.inputRate, RATES.outputRate, PROPOSAL_BOND, MODEL_URI);
    });

    it("accepts a closed datanet: only existence is checked", async () => {
      const { modelRegistry, datanetRegistry, carol, bob } = await networkHelpers.loadFixture(registryFixture);
      await datanetRegistry.connect(carol).setDatanetOpen(1n, false);
      await expect(propose(modelRegistry, bob, [1n])).to.emit(modelRegistry, "ModelProposed");
    });

    it("needs no allowance while the proposal bond is zero, and settles a zero bond", async () => {
      const { modelRegistry, openToken, governance, dave } = await networkHelpers.loadFixture(registryFixture);
      await modelRegistry.connect(governance).setProposalBond(0n);
      await expect(propose(modelRegistry, dave, [1n], RATES, 0n)).to.changeTokenBalances(
        ethers,
        openToken,
        [dave, modelRegistry],
        [0n, 0n],
      );
      await expect(modelRegistry.connect(governance).approveModel(1n))
        .to.emit(modelRegistry, "ProposalBondSettled")
        .withArgs(1n, dave.address, 0n);
    });
  });

  describe("a proposal bond raised just before a proposal lands", () => {
    it("is not charged to a proposer with a standing unlimited approval: proposeModel reverts with ModelRegistryBondAboveMax", async () => {
      const { modelRegistry, openToken, governance, bob } = await networkHelpers.loadFixture(registryFixture);
      expect(await openToken.allowance(bob, modelRegistry)).to.equal(MaxUint256);
      const balance = await openToken.balanceOf(bob);
      const raised = 5n * PROPOSAL_BOND;
      const { victimTx, frontTx } = await frontRun(
        connection,
        (fees) => modelRegistry.connect(bob).proposeModel(MODEL_URI, [1n], RATES, PROPOSAL_BOND, fees),
        (fees) => modelRegistry.connect(governance).setProposalBond(raised, fees),
      );
      await expect(frontTx).to.emit(modelRegistry, "ProposalBondUpdated").withArgs(PROPOSAL_BOND, raised);
      await expect(victimTx)
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryBondAboveMax")
        .withArgs(raised, PROPOSAL_BOND);
      expect(await openToken.balanceOf(bob), "bob paid nothing").to.equal(balance);
      expect(await modelRegistry.modelCount()).to.equal(0n);
    });

    it("lets the proposal land at the new bond once the proposer accepts it", async () => {
      const { modelRegistry, openToken, governance, bob } = await networkHelpers.loadFixture(registryFixture);
      const raised = 5n * PROPOSAL_BOND;
      await modelRegistry.connect(governance).setProposalBond(raised);
      await expect(propose(modelRegistry, bob, [1n], RATES, raised)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, modelRegistry],
        [-raised, raised],
      );
    });

    it("keeps the bond a proposal posted when the bond is lowered afterwards: the creator gets back what was pulled", async () => {
      const { modelRegistry, openToken, governance, bob } = await networkHelpers.loadFixture(proposedFixture);
      await modelRegistry.connect(governance).setProposalBond(0n);
      await expect(modelRegistry.connect(governance).approveModel(1n)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, modelRegistry],
        [PROPOSAL_BOND, -PROPOSAL_BOND],
      );
    });
  });

  describe("approveModel", () => {
    it("reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(proposedFixture);
      for (const modelId of [0n, 2n]) {
        await expect(modelRegistry.connect(governance).approveModel(modelId))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
          .withArgs(modelId);
      }
    });

    it("moves the model to Approved and emits ModelStateChanged(Proposed, Approved)", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(proposedFixture);
      await expect(modelRegistry.connect(governance).approveModel(1n))
        .to.emit(modelRegistry, "ModelStateChanged")
        .withArgs(1n, ModelState.Proposed, ModelState.Approved);
      expect((await modelRegistry.getModel(1n)).state).to.equal(ModelState.Approved);
    });

    it("returns the bond to the creator and emits ProposalBondSettled(creator)", async () => {
      const { modelRegistry, openToken, governance, bob, treasury } = await networkHelpers.loadFixture(proposedFixture);
      const tx = modelRegistry.connect(governance).approveModel(1n);
      await expect(tx).to.changeTokenBalances(
        ethers,
        openToken,
        [modelRegistry, bob, treasury],
        [-PROPOSAL_BOND, PROPOSAL_BOND, 0n],
      );
      await expect(tx).to.emit(modelRegistry, "ProposalBondSettled").withArgs(1n, bob.address, PROPOSAL_BOND);
      await expectModelBondsConserved(openToken, modelRegistry);
    });

    it("settles the bond exactly once: a second approval or a rejection reverts with ModelRegistryUnexpectedState(Approved)", async () => {
      const { modelRegistry, openToken, governance } = await networkHelpers.loadFixture(approvedFixture);
      await expect(modelRegistry.connect(governance).approveModel(1n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnexpectedState")
        .withArgs(1n, ModelState.Approved);
      await expect(modelRegistry.connect(governance).rejectModel(1n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnexpectedState")
        .withArgs(1n, ModelState.Approved);
      expect(await openToken.balanceOf(modelRegistry)).to.equal(0n);
    });

    it("refunds the bond the model posted, not the current proposal bond", async () => {
      const { modelRegistry, openToken, governance, bob } = await networkHelpers.loadFixture(proposedFixture);
      await modelRegistry.connect(governance).setProposalBond(open(5n));
      await propose(modelRegistry, bob, [1n]);
      await expect(modelRegistry.connect(governance).approveModel(1n)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob],
        [PROPOSAL_BOND],
      );
      await expect(modelRegistry.connect(governance).approveModel(2n)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob],
        [open(5n)],
      );
    });
  });

  describe("rejectModel", () => {
    it("reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(proposedFixture);
      await expect(modelRegistry.connect(governance).rejectModel(2n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
        .withArgs(2n);
    });

    it("moves the model to Rejected and emits ModelStateChanged(Proposed, Rejected)", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(proposedFixture);
      await expect(modelRegistry.connect(governance).rejectModel(1n))
        .to.emit(modelRegistry, "ModelStateChanged")
        .withArgs(1n, ModelState.Proposed, ModelState.Rejected);
      expect((await modelRegistry.getModel(1n)).state).to.equal(ModelState.Rejected);
    });

    it("sends the bond to the treasury (the timelock) and emits ProposalBondSettled(treasury)", async () => {
      const { modelRegistry, openToken, governance, bob, treasury } = await networkHelpers.loadFixture(proposedFixture);
      const tx = modelRegistry.connect(governance).rejectModel(1n);
      await expect(tx).to.changeTokenBalances(
        ethers,
        openToken,
        [modelRegistry, treasury, bob],
        [-PROPOSAL_BOND, PROPOSAL_BOND, 0n],
      );
      await expect(tx).to.emit(modelRegistry, "ProposalBondSettled").withArgs(1n, treasury, PROPOSAL_BOND);
      await expectModelBondsConserved(openToken, modelRegistry);
    });

    it("settles the bond exactly once: a second rejection or an approval reverts with ModelRegistryUnexpectedState(Rejected)", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(proposedFixture);
      await modelRegistry.connect(governance).rejectModel(1n);
      await expect(modelRegistry.connect(governance).rejectModel(1n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnexpectedState")
        .withArgs(1n, ModelState.Rejected);
      await expect(modelRegistry.connect(governance).approveModel(1n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnexpectedState")
        .withArgs(1n, ModelState.Rejected);
    });

    it("sends the bond to the treasury in force at rejection", async () => {
      const { modelRegistry, openToken, governance, erin, treasury } =
        await networkHelpers.loadFixture(proposedFixture);
      await modelRegistry.connect(governance).setTreasury(erin);
      await expect(modelRegistry.connect(governance).rejectModel(1n)).to.changeTokenBalances(
        ethers,
        openToken,
        [erin, treasury],
        [PROPOSAL_BOND, 0n],
      );
    });
  });

  describe("registerArtifact", () => {
    it("reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(approvedFixture);
      await expect(modelRegistry.connect(bob).registerArtifact(2n, ARTIFACT, ARTIFACT_URI, 0n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
        .withArgs(2n);
    });

    it("reverts with ModelRegistryNotCreator for anyone but the creator, governance included", async () => {
      const { modelRegistry, alice, governance } = await networkHelpers.loadFixture(approvedFixture);
      for (const caller of [alice, governance]) {
        await expect(modelRegistry.connect(caller).registerArtifact(1n, ARTIFACT, ARTIFACT_URI, 0n))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryNotCreator")
          .withArgs(1n, caller.address);
      }
    });

    it("reverts with ModelRegistryZeroArtifactHash for a zero hash", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(approvedFixture);
      await expect(
        modelRegistry.connect(bob).registerArtifact(1n, ZeroHash, ARTIFACT_URI, 0n),
      ).to.be.revertedWithCustomError(modelRegistry, "ModelRegistryZeroArtifactHash");
    });

    it("stores full weights (base 0), moves the model to Trained and emits ArtifactRegistered", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(approvedFixture);
      const tx = modelRegistry.connect(bob).registerArtifact(1n, ARTIFACT, ARTIFACT_URI, 0n);
      await expect(tx).to.emit(modelRegistry, "ArtifactRegistered").withArgs(1n, ARTIFACT, ARTIFACT_URI, 0n);
      await expect(tx)
        .to.emit(modelRegistry, "ModelStateChanged")
        .withArgs(1n, ModelState.Approved, ModelState.Trained);
      const m = await modelRegistry.getModel(1n);
      expect(m.state).to.equal(ModelState.Trained);
      expect(m.artifactHash).to.equal(ARTIFACT);
      expect(m.artifactURI).to.equal(ARTIFACT_URI);
      expect(m.baseModelId).to.equal(0n);
    });

    describe("a LoRA adapter", () => {
      for (const base of ["Trained", "Active", "Suspended"] as const) {
        it(`accepts a ${base} base model and stores it`, async () => {
          const f = await networkHelpers.loadFixture(lifecycleFixture);
          const baseModelId = MODEL_IN[base];
          await expect(
            f.modelRegistry.connect(f.bob).registerArtifact(MODEL_IN.Approved, ADAPTER, ADAPTER_URI, baseModelId),
          )
            .to.emit(f.modelRegistry, "ArtifactRegistered")
            .withArgs(MODEL_IN.Approved, ADAPTER, ADAPTER_URI, baseModelId);
          const m = await f.modelRegistry.getModel(MODEL_IN.Approved);
          expect(m.baseModelId).to.equal(baseModelId);
          expect(m.artifactHash).to.equal(ADAPTER);
          expect(m.state).to.equal(ModelState.Trained);
        });
      }

      for (const base of ["Proposed", "Rejected", "Retired"] as const) {
        it(`reverts with ModelRegistryInvalidBaseModel for a ${base} base model`, async () => {
          const f = await networkHelpers.loadFixture(lifecycleFixture);
          await expect(
            f.modelRegistry.connect(f.bob).registerArtifact(MODEL_IN.Approved, ADAPTER, ADAPTER_URI, MODEL_IN[base]),
          )
            .to.be.revertedWithCustomError(f.modelRegistry, "ModelRegistryInvalidBaseModel")
            .withArgs(MODEL_IN[base], ModelState[base]);
        });
      }

      it("reverts with ModelRegistryInvalidBaseModel for another Approved (weightless) base model", async () => {
        const f = await networkHelpers.loadFixture(lifecycleFixture);
        await propose(f.modelRegistry, f.bob, [1n]); // 8
        await f.modelRegistry.connect(f.governance).approveModel(8n);
        await expect(f.modelRegistry.connect(f.bob).registerArtifact(8n, ADAPTER, ADAPTER_URI, MODEL_IN.Approved))
          .to.be.revertedWithCustomError(f.modelRegistry, "ModelRegistryInvalidBaseModel")
          .withArgs(MODEL_IN.Approved, ModelState.Approved);
      });

      it("reverts with ModelRegistryInvalidBaseModel for an unknown base model", async () => {
        const f = await networkHelpers.loadFixture(lifecycleFixture);
        await expect(f.modelRegistry.connect(f.bob).registerArtifact(MODEL_IN.Approved, ADAPTER, ADAPTER_URI, 99n))
          .to.be.revertedWithCustomError(f.modelRegistry, "ModelRegistryInvalidBaseModel")
          .withArgs(99n, ModelState.None);
      });

      it("reverts with ModelRegistryInvalidBaseModel for the model itself", async () => {
        const f = await networkHelpers.loadFixture(lifecycleFixture);
        await expect(
          f.modelRegistry.connect(f.bob).registerArtifact(MODEL_IN.Approved, ADAPTER, ADAPTER_URI, MODEL_IN.Approved),
        )
          .to.be.revertedWithCustomError(f.modelRegistry, "ModelRegistryInvalidBaseModel")
          .withArgs(MODEL_IN.Approved, ModelState.Approved);
      });

      it("checks the state before the arguments: a Proposed model reports ModelRegistryUnexpectedState", async () => {
        const f = await networkHelpers.loadFixture(lifecycleFixture);
        await expect(
          f.modelRegistry.connect(f.bob).registerArtifact(MODEL_IN.Proposed, ethers.ZeroHash, ADAPTER_URI, 99n),
        )
          .to.be.revertedWithCustomError(f.modelRegistry, "ModelRegistryUnexpectedState")
          .withArgs(MODEL_IN.Proposed, ModelState.Proposed);
      });

      it("may adapt a base model of another creator", async () => {
        const f = await networkHelpers.loadFixture(lifecycleFixture);
        await propose(f.modelRegistry, f.alice, [2n]); // 8
        await f.modelRegistry.connect(f.governance).approveModel(8n);
        await f.modelRegistry.connect(f.alice).registerArtifact(8n, ADAPTER, ADAPTER_URI, MODEL_IN.Active);
        expect((await f.modelRegistry.getModel(8n)).baseModelId).to.equal(MODEL_IN.Active);
      });
    });
  });

  describe("suspendModel and resumeModel", () => {
    it("revert with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(activeFixture);
      for (const modelId of [0n, 2n]) {
        await expect(modelRegistry.connect(governance).suspendModel(modelId))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
          .withArgs(modelId);
        await expect(modelRegistry.connect(governance).resumeModel(modelId))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
          .withArgs(modelId);
      }
    });
  });

  describe("activateModel", () => {
    it("reverts with ModelRegistryNotCreator for anyone but the creator, governance included", async () => {
      const { modelRegistry, alice, governance } = await networkHelpers.loadFixture(trainedFixture);
      for (const caller of [alice, governance]) {
        await expect(modelRegistry.connect(caller).activateModel(1n))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryNotCreator")
          .withArgs(1n, caller.address);
      }
    });

    it("reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(trainedFixture);
      await expect(modelRegistry.connect(bob).activateModel(2n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
        .withArgs(2n);
    });
  });

  describe("retireModel", () => {
    it("reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(activeFixture);
      await expect(modelRegistry.connect(bob).retireModel(2n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
        .withArgs(2n);
    });

    it("reverts with ModelRegistryNotCreatorOrGovernance for anyone else", async () => {
      const { modelRegistry, alice, carol, erin } = await networkHelpers.loadFixture(activeFixture);
      for (const caller of [alice, carol, erin]) {
        await expect(modelRegistry.connect(caller).retireModel(1n))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryNotCreatorOrGovernance")
          .withArgs(1n, caller.address);
      }
    });

    it("lets governance retire a model", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(activeFixture);
      await expect(modelRegistry.connect(governance).retireModel(1n))
        .to.emit(modelRegistry, "ModelStateChanged")
        .withArgs(1n, ModelState.Active, ModelState.Retired);
      expect((await modelRegistry.getModel(1n)).state).to.equal(ModelState.Retired);
    });
  });

  describe("while paused", () => {
    it("leaves every lifecycle transition, rate change and governance setting working", async () => {
      const f = await networkHelpers.loadFixture(lifecycleFixture);
      const { modelRegistry, guardian, governance, bob } = f;
      await modelRegistry.connect(guardian).pause();
      await modelRegistry.connect(governance).approveModel(MODEL_IN.Proposed);
      await modelRegistry.connect(bob).registerArtifact(MODEL_IN.Approved, ARTIFACT, ARTIFACT_URI, 0n);
      await modelRegistry.connect(bob).activateModel(MODEL_IN.Trained);
      await modelRegistry.connect(governance).suspendModel(MODEL_IN.Active);
      await modelRegistry.connect(governance).resumeModel(MODEL_IN.Suspended);
      await modelRegistry.connect(bob).setRates(MODEL_IN.Active, RATES);
      await modelRegistry.connect(governance).setProposalBond(0n);
      await modelRegistry.connect(governance).setRateBounds(0n, MAX_RATE);
      await modelRegistry.connect(bob).retireModel(MODEL_IN.Active);
      expect(await modelRegistry.paused()).to.equal(true);
    });

    it("still lets governance reject a proposal and take its bond to the treasury", async () => {
      const { modelRegistry, openToken, guardian, governance, treasury } =
        await networkHelpers.loadFixture(proposedFixture);
      await modelRegistry.connect(guardian).pause();
      await expect(modelRegistry.connect(governance).rejectModel(1n)).to.changeTokenBalances(
        ethers,
        openToken,
        [modelRegistry, treasury],
        [-PROPOSAL_BOND, PROPOSAL_BOND],
      );
    });
  });

  describe("lifecycle transitions", () => {
    it("builds one model in each state", async () => {
      const { modelRegistry } = await networkHelpers.loadFixture(lifecycleFixture);
      for (const [state, modelId] of Object.entries(MODEL_IN)) {
        expect((await modelRegistry.getModel(modelId)).state, state).to.equal(ModelState[state as ModelStateName]);
      }
    });

    for (const transition of TRANSITIONS) {
      describe(transition.name, () => {
        for (const [from, modelId] of Object.entries(MODEL_IN) as [ModelStateName, bigint][]) {
          const to = transition.legal[from];
          if (to === undefined) {
            it(`reverts with ModelRegistryUnexpectedState(${from}) from ${from}`, async () => {
              const f = await networkHelpers.loadFixture(lifecycleFixture);
              await expect(transition.call(f, modelId))
                .to.be.revertedWithCustomError(f.modelRegistry, "ModelRegistryUnexpectedState")
                .withArgs(modelId, ModelState[from]);
              expect((await f.modelRegistry.getModel(modelId)).state).to.equal(ModelState[from]);
            });
          } else {
            it(`moves a ${from} model to ${to} and emits ModelStateChanged(${from}, ${to})`, async () => {
              const f = await networkHelpers.loadFixture(lifecycleFixture);
              await expect(transition.call(f, modelId))
                .to.emit(f.modelRegistry, "ModelStateChanged")
                .withArgs(modelId, ModelState[from], ModelState[to]);
              expect((await f.modelRegistry.getModel(modelId)).state).to.equal(ModelState[to]);
            });
          }
        }
      });
    }
  });

  describe("setRates", () => {
    const NEW_RATES = { inputRate: open(3n), outputRate: open(9n) } as const;

    it("reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(proposedFixture);
      await expect(modelRegistry.connect(bob).setRates(2n, NEW_RATES))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
        .withArgs(2n);
    });

    it("reverts with ModelRegistryNotCreator for anyone but the creator, governance included", async () => {
      const { modelRegistry, alice, governance } = await networkHelpers.loadFixture(proposedFixture);
      for (const caller of [alice, governance]) {
        await expect(modelRegistry.connect(caller).setRates(1n, NEW_RATES))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryNotCreator")
          .withArgs(1n, caller.address);
      }
    });

    it("reverts with ModelRegistryRateOutOfBounds outside the bounds", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(proposedFixture);
      await expect(modelRegistry.connect(bob).setRates(1n, { inputRate: 0n, outputRate: MAX_RATE + 1n }))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryRateOutOfBounds")
        .withArgs(MAX_RATE + 1n, MIN_RATE, MAX_RATE);
    });

    for (const state of ["Rejected", "Retired"] as const) {
      it(`reverts with ModelRegistryUnexpectedState(${state}) for a ${state} model`, async () => {
        const { modelRegistry, bob } = await networkHelpers.loadFixture(lifecycleFixture);
        await expect(modelRegistry.connect(bob).setRates(MODEL_IN[state], NEW_RATES))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnexpectedState")
          .withArgs(MODEL_IN[state], ModelState[state]);
      });
    }

    for (const state of ["Proposed", "Approved", "Trained", "Active", "Suspended"] as const) {
      it(`updates the rates of a ${state} model and emits RatesUpdated`, async () => {
        const { modelRegistry, bob } = await networkHelpers.loadFixture(lifecycleFixture);
        const modelId = MODEL_IN[state];
        await expect(modelRegistry.connect(bob).setRates(modelId, NEW_RATES))
          .to.emit(modelRegistry, "RatesUpdated")
          .withArgs(modelId, NEW_RATES.inputRate, NEW_RATES.outputRate);
        const [, , inputRate, outputRate] = await modelRegistry.paymentTerms(modelId);
        expect(inputRate).to.equal(NEW_RATES.inputRate);
        expect(outputRate).to.equal(NEW_RATES.outputRate);
      });
    }

    it("leaves existing rates outside narrowed bounds until the creator changes them", async () => {
      const { modelRegistry, governance, bob } = await networkHelpers.loadFixture(activeFixture);
      await modelRegistry.connect(governance).setRateBounds(open(10n), open(20n));
      const m = await modelRegistry.getModel(1n);
      expect(m.rates.inputRate).to.equal(RATES.inputRate);
      await expect(modelRegistry.connect(bob).setRates(1n, RATES))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryRateOutOfBounds")
        .withArgs(RATES.inputRate, open(10n), open(20n));
    });
  });

  describe("access control", () => {
    shouldBehaveLikeGovernanceOnly<ModelRegistry>(async () => {
      const f = await networkHelpers.loadFixture(proposedFixture);
      // Neither the creator, a datanet owner, the deployer, the guardian nor the governor itself is governance.
      const governorSigner = await impersonate(connection, await f.governor.getAddress());
      return { contract: f.modelRegistry, callers: [f.bob, f.carol, f.deployer, f.guardian, governorSigner] };
    }, [
      { name: "approveModel", call: (c, caller) => c.connect(caller).approveModel(1n) },
      { name: "rejectModel", call: (c, caller) => c.connect(caller).rejectModel(1n) },
      { name: "suspendModel", call: (c, caller) => c.connect(caller).suspendModel(1n) },
      { name: "resumeModel", call: (c, caller) => c.connect(caller).resumeModel(1n) },
      { name: "setProposalBond", call: (c, caller) => c.connect(caller).setProposalBond(0n) },
      { name: "setRateBounds", call: (c, caller) => c.connect(caller).setRateBounds(0n, 1n) },
    ]);
  });

  describe("setProposalBond", () => {
    it("reverts with ModelRegistryProposalBondTooHigh above MAX_PROPOSAL_BOND", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(registryFixture);
      await expect(modelRegistry.connect(governance).setProposalBond(MAX_PROPOSAL_BOND + 1n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryProposalBondTooHigh")
        .withArgs(MAX_PROPOSAL_BOND + 1n, MAX_PROPOSAL_BOND);
    });

    it("accepts MAX_PROPOSAL_BOND, emits ProposalBondUpdated and applies to later proposals", async () => {
      const { modelRegistry, openToken, governance, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(modelRegistry.connect(governance).setProposalBond(MAX_PROPOSAL_BOND))
        .to.emit(modelRegistry, "ProposalBondUpdated")
        .withArgs(PROPOSAL_BOND, MAX_PROPOSAL_BOND);
      expect(await modelRegistry.proposalBond()).to.equal(MAX_PROPOSAL_BOND);
      await openToken.transfer(bob, MAX_PROPOSAL_BOND);
      await expect(propose(modelRegistry, bob, [1n], RATES, MAX_PROPOSAL_BOND)).to.changeTokenBalances(
        ethers,
        openToken,
        [bob, modelRegistry],
        [-MAX_PROPOSAL_BOND, MAX_PROPOSAL_BOND],
      );
      expect((await modelRegistry.getModel(1n)).bond).to.equal(MAX_PROPOSAL_BOND);
    });
  });

  describe("setRateBounds", () => {
    it("reverts with ModelRegistryInvalidRateBounds when the minimum exceeds the maximum", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(registryFixture);
      await expect(modelRegistry.connect(governance).setRateBounds(open(2n), open(1n)))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryInvalidRateBounds")
        .withArgs(open(2n), open(1n), MAX_RATE_CAP);
    });

    it("reverts with ModelRegistryInvalidRateBounds above MAX_RATE", async () => {
      const { modelRegistry, governance } = await networkHelpers.loadFixture(registryFixture);
      await expect(modelRegistry.connect(governance).setRateBounds(0n, MAX_RATE_CAP + 1n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryInvalidRateBounds")
        .withArgs(0n, MAX_RATE_CAP + 1n, MAX_RATE_CAP);
    });

    it("accepts bounds up to MAX_RATE, emits RateBoundsUpdated and applies them to proposals", async () => {
      const { modelRegistry, governance, bob } = await networkHelpers.loadFixture(registryFixture);
      await expect(modelRegistry.connect(governance).setRateBounds(MAX_RATE_CAP, MAX_RATE_CAP))
        .to.emit(modelRegistry, "RateBoundsUpdated")
        .withArgs(MIN_RATE, MAX_RATE, MAX_RATE_CAP, MAX_RATE_CAP);
      const [minRate, maxRate] = await modelRegistry.rateBounds();
      expect(minRate).to.equal(MAX_RATE_CAP);
      expect(maxRate).to.equal(MAX_RATE_CAP);
      await expect(propose(modelRegistry, bob, [1n]))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryRateOutOfBounds")
        .withArgs(RATES.inputRate, MAX_RATE_CAP, MAX_RATE_CAP);
      await expect(propose(modelRegistry, bob, [1n], { inputRate: MAX_RATE_CAP, outputRate: MAX_RATE_CAP })).to.emit(
        modelRegistry,
        "ModelProposed",
      );
    });
  });

  describe("views", () => {
    it("getModel reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry } = await networkHelpers.loadFixture(proposedFixture);
      for (const modelId of [0n, 2n]) {
        await expect(modelRegistry.getModel(modelId))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
          .withArgs(modelId);
      }
    });

    it("paymentTerms reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry } = await networkHelpers.loadFixture(proposedFixture);
      for (const modelId of [0n, 2n]) {
        await expect(modelRegistry.paymentTerms(modelId))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
          .withArgs(modelId);
      }
    });

    it("paymentTerms returns the state, creator and rates in one call", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(activeFixture);
      const [state, creator, inputRate, outputRate] = await modelRegistry.paymentTerms(1n);
      expect(state).to.equal(ModelState.Active);
      expect(creator).to.equal(bob.address);
      expect(inputRate).to.equal(RATES.inputRate);
      expect(outputRate).to.equal(RATES.outputRate);
    });

    it("paymentTerms reports every lifecycle state as it is, so that only an Active model is paid", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(lifecycleFixture);
      for (const [name, modelId] of Object.entries(MODEL_IN) as [ModelStateName, bigint][]) {
        const [state, creator] = await modelRegistry.paymentTerms(modelId);
        expect(state, name).to.equal(ModelState[name]);
        expect(creator, name).to.equal(bob.address);
      }
    });

    it("modelDatanets returns the model's datanets in the order proposed", async () => {
      const { modelRegistry, alice } = await networkHelpers.loadFixture(activeFixture);
      expect(await modelRegistry.modelDatanets(1n)).to.deep.equal([1n, 2n]);
      await propose(modelRegistry, alice, [1n, 3n]);
      expect(await modelRegistry.modelDatanets(2n)).to.deep.equal([1n, 3n]);
    });

    it("modelDatanets stays readable in every state, Rejected and Retired included", async () => {
      const { modelRegistry } = await networkHelpers.loadFixture(lifecycleFixture);
      for (const [name, modelId] of Object.entries(MODEL_IN)) {
        expect(await modelRegistry.modelDatanets(modelId), name).to.deep.equal([1n]);
      }
    });

    it("modelDatanets reverts with ModelRegistryUnknownModel for an unknown id", async () => {
      const { modelRegistry } = await networkHelpers.loadFixture(proposedFixture);
      for (const modelId of [0n, 2n]) {
        await expect(modelRegistry.modelDatanets(modelId))
          .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
          .withArgs(modelId);
      }
    });
  });

  describe("conservation of OPEN", () => {
    it("holds after every proposal, approval, rejection and bond change", async () => {
      const {
        modelRegistry: registry,
        openToken,
        governance,
        bob,
        alice,
      } = await networkHelpers.loadFixture(registryFixture);
      const check = () => expectModelBondsConserved(openToken, registry);
      await check();
      await propose(registry, bob, [1n]); // 1
      await propose(registry, alice, [1n, 2n]); // 2
      await check();
      await registry.connect(governance).setProposalBond(open(300n));
      await propose(registry, bob, [3n]); // 3
      await propose(registry, alice, [2n, 3n]); // 4
      await check();
      await registry.connect(governance).approveModel(1n);
      await check();
      await registry.connect(governance).rejectModel(3n);
      await check();
      await registry.connect(governance).setProposalBond(0n);
      await propose(registry, bob, [1n]); // 5
      await registry.connect(governance).approveModel(4n);
      await check();
      await registry.connect(bob).registerArtifact(1n, ARTIFACT, ARTIFACT_URI, 0n);
      await registry.connect(bob).activateModel(1n);
      await registry.connect(governance).rejectModel(2n);
      await check();
      expect(await openToken.balanceOf(registry)).to.equal(0n);
    });
  });
});
