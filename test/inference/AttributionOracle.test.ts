import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress, getAddress, toBeHex, type Signer } from "ethers";
import { network } from "hardhat";

import { reportDigest, signReport, sortBySigner, type SignerSignature } from "../../sdk/core/eip712.js";
import { TEST_INFERENCE_PARAMS, type Connection } from "../fixtures/protocol.js";
import { AttributionOracle__factory, type AttributionOracle } from "../../types/ethers-contracts/index.js";
import { deterministicWallets, impersonate } from "../helpers/accounts.js";
import { defined } from "../helpers/constants.js";
import {
  CONTRIBUTION,
  PERCENT,
  inferenceFixture,
  inferenceIdOf,
  packCredits,
  report,
  requestId,
} from "../helpers/inference.js";
import { shouldBehaveLikeGovernanceOnly } from "../helpers/shouldBehaveLikeGovernanceOnly.js";
import { signDigest } from "../helpers/signatures.js";

const connection = await network.create();
const { networkHelpers } = connection;

const MAX_SIGNERS = 32n;
const THRESHOLD = TEST_INFERENCE_PARAMS.oracleThreshold;

/** A report whose router digest the tests sign and verify directly against the oracle. */
const REPORT = report(1n, [CONTRIBUTION.dave, CONTRIBUTION.erin], [60n * PERCENT, 40n * PERCENT]);
const OTHER_REPORT = report(2n, [CONTRIBUTION.dave], [100n * PERCENT]);

/**
 * EIP-1271 contract signers without adding Solidity: runtime bytecode installed with hardhat_setCode.
 * APPROVED_HASH_WALLET answers isValidSignature(hash, ·) with the magic value 0x1626ba7e iff `hash` equals its
 * storage slot 0 (like a multisig's pre-approved hashes), else with bytes4(0):
 *
 *   PUSH1 4 CALLDATALOAD PUSH1 0 SLOAD EQ PUSH1 0x0f JUMPI PUSH1 32 PUSH1 0 RETURN
 *   JUMPDEST PUSH4 0x1626ba7e PUSH1 224 SHL PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
 */
const APPROVED_HASH_WALLET = [
  "0x600435", // PUSH1 4 CALLDATALOAD       the hash argument
  "600054", //   PUSH1 0 SLOAD              the approved hash
  "14600f57", // EQ PUSH1 0x0f JUMPI
  "60206000f3", // PUSH1 32 PUSH1 0 RETURN  32 zero bytes: not approved
  "5b", //       JUMPDEST (offset 0x0f)
  "631626ba7e60e01b", // PUSH4 0x1626ba7e PUSH1 224 SHL
  "600052", //   PUSH1 0 MSTORE
  "60206000f3", // PUSH1 32 PUSH1 0 RETURN  the magic value
].join("");
/** A contract whose every call reverts. */
const REVERTING_CODE = "0x60006000fd";

/** The deployed protocol and its fixtures; the oracle signers (threshold 2 of 3) and a signer for governance. */
async function oracleFixture(conn: Connection) {
  const f = await inferenceFixture(conn);
  const digest = reportDigest(f.domain, REPORT);
  const otherDigest = reportDigest(f.domain, OTHER_REPORT);
  const [s1, s2, s3] = [0, 1, 2].map((i) => defined(f.oracleSigners[i], `oracle signer ${i}`)) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  return { ...f, oracle: f.attributionOracle, digest, otherDigest, s1, s2, s3 };
}

type F = Awaited<ReturnType<typeof oracleFixture>>;

/** Signatures of `REPORT`'s digest by `signers`, sorted by signer. */
function sign(f: F, signers: Signer[]): Promise<SignerSignature[]> {
  return signReport(f.domain, REPORT, signers);
}

/** `count` distinct addresses without code, for filling the signer set. */
function addresses(count: number, offset = 0x1000): string[] {
  return Array.from({ length: count }, (_, i) => getAddress(toBeHex(offset + i, 20)));
}

/** Installs a contract signer at a fixed address, registers it, and pre-approves `approved` in its slot 0. */
async function contractSigner(f: F, code: string, approved?: string): Promise<string> {
  const address = getAddress(toBeHex(0xc0de, 20));
  await networkHelpers.setCode(address, code);
  if (approved !== undefined) await networkHelpers.setStorageAt(address, 0n, approved);
  await f.oracle.connect(f.governance).addSigner(address);
  return address;
}

describe("AttributionOracle", () => {
  describe("constructor", () => {
    async function deployArgs() {
      const f = await networkHelpers.loadFixture(oracleFixture);
      return { f, factory: new AttributionOracle__factory(f.deployer) };
    }

    it("registers the deployment's signers and threshold, owned by the timelock", async () => {
      const { oracle, treasury, s1, s2, s3, stranger } = await networkHelpers.loadFixture(oracleFixture);
      expect(await oracle.owner()).to.equal(treasury);
      expect(await oracle.signerCount()).to.equal(3n);
      expect(await oracle.threshold()).to.equal(THRESHOLD);
      for (const signer of [s1, s2, s3]) expect(await oracle.isSigner(signer)).to.equal(true);
      expect(await oracle.isSigner(stranger)).to.equal(false);
      expect(await oracle.isSigner(ZeroAddress)).to.equal(false);
      expect(await oracle.MAX_SIGNERS()).to.equal(MAX_SIGNERS);
    });

    it("emits SignerAdded for each signer and ThresholdUpdated", async () => {
      const { f, factory } = await deployArgs();
      const oracle = await factory.deploy(f.treasury, [f.s1, f.s2], 1n);
      const deployment = oracle.deploymentTransaction();
      await expect(deployment).to.emit(oracle, "SignerAdded").withArgs(f.s1.address);
      await expect(deployment).to.emit(oracle, "SignerAdded").withArgs(f.s2.address);
      await expect(deployment).to.emit(oracle, "ThresholdUpdated").withArgs(0n, 1n);
    });

    it("reverts with AttributionOracleZeroAddress for a zero signer", async () => {
      const { f, factory } = await deployArgs();
      await expect(factory.deploy(f.treasury, [f.s1, ZeroAddress], 1n)).to.be.revertedWithCustomError(
        factory,
        "AttributionOracleZeroAddress",
      );
    });

    it("reverts with AttributionOracleSignerExists for a duplicated signer", async () => {
      const { f, factory } = await deployArgs();
      await expect(factory.deploy(f.treasury, [f.s1, f.s2, f.s1], 2n))
        .to.be.revertedWithCustomError(factory, "AttributionOracleSignerExists")
        .withArgs(f.s1.address);
    });

    it("reverts with AttributionOracleInvalidThreshold for a threshold of 0 or above the signer count", async () => {
      const { f, factory } = await deployArgs();
      await expect(factory.deploy(f.treasury, [f.s1, f.s2], 0n))
        .to.be.revertedWithCustomError(factory, "AttributionOracleInvalidThreshold")
        .withArgs(0n, 2n);
      await expect(factory.deploy(f.treasury, [f.s1, f.s2], 3n))
        .to.be.revertedWithCustomError(factory, "AttributionOracleInvalidThreshold")
        .withArgs(3n, 2n);
      await expect(factory.deploy(f.treasury, [], 1n))
        .to.be.revertedWithCustomError(factory, "AttributionOracleInvalidThreshold")
        .withArgs(1n, 0n);
    });

    it("reverts with AttributionOracleTooManySigners above MAX_SIGNERS", async () => {
      const { f, factory } = await deployArgs();
      await expect(factory.deploy(f.treasury, addresses(Number(MAX_SIGNERS) + 1), 1n))
        .to.be.revertedWithCustomError(factory, "AttributionOracleTooManySigners")
        .withArgs(MAX_SIGNERS);
      const full = await factory.deploy(f.treasury, addresses(Number(MAX_SIGNERS)), MAX_SIGNERS);
      expect(await full.signerCount()).to.equal(MAX_SIGNERS);
    });

    it("reverts with OwnableInvalidOwner when governance is the zero address", async () => {
      const { f, factory } = await deployArgs();
      await expect(factory.deploy(ZeroAddress, [f.s1], 1n))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });
  });

  describe("addSigner", () => {
    it("registers the signer and emits SignerAdded; its signature then counts", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).addSigner(f.stranger))
        .to.emit(f.oracle, "SignerAdded")
        .withArgs(f.stranger.address);
      expect(await f.oracle.isSigner(f.stranger)).to.equal(true);
      expect(await f.oracle.signerCount()).to.equal(4n);
      await f.oracle.verifySignatures(f.digest, await sign(f, [f.s1, f.stranger]));
    });

    it("reverts with AttributionOracleSignerExists for a registered signer", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).addSigner(f.s2))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleSignerExists")
        .withArgs(f.s2.address);
    });

    it("reverts with AttributionOracleZeroAddress for the zero address", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).addSigner(ZeroAddress)).to.be.revertedWithCustomError(
        f.oracle,
        "AttributionOracleZeroAddress",
      );
    });

    it("fills the set up to MAX_SIGNERS, then reverts with AttributionOracleTooManySigners", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      for (const signer of addresses(Number(MAX_SIGNERS) - 3)) await f.oracle.connect(f.governance).addSigner(signer);
      expect(await f.oracle.signerCount()).to.equal(MAX_SIGNERS);
      await expect(f.oracle.connect(f.governance).addSigner(f.stranger))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleTooManySigners")
        .withArgs(MAX_SIGNERS);
      // Removing one makes room again.
      await f.oracle.connect(f.governance).removeSigner(f.s3);
      await expect(f.oracle.connect(f.governance).addSigner(f.stranger)).to.emit(f.oracle, "SignerAdded");
    });
  });

  describe("removeSigner", () => {
    it("unregisters the signer and emits SignerRemoved; its signature no longer counts", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).removeSigner(f.s3))
        .to.emit(f.oracle, "SignerRemoved")
        .withArgs(f.s3.address);
      expect(await f.oracle.isSigner(f.s3)).to.equal(false);
      expect(await f.oracle.signerCount()).to.equal(2n);
      await expect(f.oracle.verifySignatures(f.digest, await sign(f, [f.s1, f.s3])))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleUnknownSigner")
        .withArgs(f.s3.address);
    });

    it("reverts with AttributionOracleUnknownSigner for an address that is not a signer", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).removeSigner(f.stranger))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleUnknownSigner")
        .withArgs(f.stranger.address);
    });

    it("reverts with AttributionOracleInvalidThreshold when the threshold would become unreachable", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await f.oracle.connect(f.governance).removeSigner(f.s3);
      await expect(f.oracle.connect(f.governance).removeSigner(f.s2))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleInvalidThreshold")
        .withArgs(THRESHOLD, 1n);
      // Lowering the threshold first allows it.
      await f.oracle.connect(f.governance).setThreshold(1n);
      await expect(f.oracle.connect(f.governance).removeSigner(f.s2)).to.emit(f.oracle, "SignerRemoved");
    });

    it("never empties the set: the last signer cannot be removed", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await f.oracle.connect(f.governance).setThreshold(1n);
      await f.oracle.connect(f.governance).removeSigner(f.s3);
      await f.oracle.connect(f.governance).removeSigner(f.s2);
      await expect(f.oracle.connect(f.governance).removeSigner(f.s1))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleInvalidThreshold")
        .withArgs(1n, 0n);
    });

    it("lets a removed signer be registered again", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await f.oracle.connect(f.governance).removeSigner(f.s3);
      await f.oracle.connect(f.governance).addSigner(f.s3);
      expect(await f.oracle.signerCount()).to.equal(3n);
      await f.oracle.verifySignatures(f.digest, await sign(f, [f.s2, f.s3]));
    });
  });

  describe("setThreshold", () => {
    it("emits ThresholdUpdated and applies at once", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).setThreshold(3n))
        .to.emit(f.oracle, "ThresholdUpdated")
        .withArgs(THRESHOLD, 3n);
      expect(await f.oracle.threshold()).to.equal(3n);
      await expect(f.oracle.verifySignatures(f.digest, await sign(f, [f.s1, f.s2])))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleTooFewSignatures")
        .withArgs(2n, 3n);
      await f.oracle.verifySignatures(f.digest, await sign(f, [f.s1, f.s2, f.s3]));
    });

    it("reverts with AttributionOracleInvalidThreshold for 0", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).setThreshold(0n))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleInvalidThreshold")
        .withArgs(0n, 3n);
    });

    it("reverts with AttributionOracleInvalidThreshold above the signer count", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).setThreshold(4n))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleInvalidThreshold")
        .withArgs(4n, 3n);
    });
  });

  describe("governance", () => {
    shouldBehaveLikeGovernanceOnly<AttributionOracle>(async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      // Not even the signers, the router, the guardian, the deployer or the governor itself.
      const router = await impersonate(connection, await f.inferenceRouter.getAddress());
      const governor = await impersonate(connection, await f.governor.getAddress());
      return { contract: f.oracle, callers: [f.s1, f.s2, router, f.guardian, f.deployer, governor] };
    }, [
      { name: "addSigner", call: (c, caller) => c.connect(caller).addSigner(caller.address) },
      { name: "removeSigner", call: (c, caller) => c.connect(caller).removeSigner(caller.address) },
      { name: "setThreshold", call: (c, caller) => c.connect(caller).setThreshold(1n) },
      { name: "transferOwnership", call: (c, caller) => c.connect(caller).transferOwnership(caller.address) },
      { name: "renounceOwnership", call: (c, caller) => c.connect(caller).renounceOwnership() },
    ]);

    it("renounceOwnership reverts with GovernanceRenounceDisabled even for governance", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).renounceOwnership()).to.be.revertedWithCustomError(
        f.oracle,
        "GovernanceRenounceDisabled",
      );
    });

    it("transfers ownership in two steps: the signer set stays governance's until the new owner accepts", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).transferOwnership(f.bob))
        .to.emit(f.oracle, "OwnershipTransferStarted")
        .withArgs(f.treasury, f.bob.address);
      expect(await f.oracle.owner()).to.equal(f.treasury);
      expect(await f.oracle.pendingOwner()).to.equal(f.bob.address);
      await expect(f.oracle.connect(f.bob).setThreshold(1n))
        .to.be.revertedWithCustomError(f.oracle, "OwnableUnauthorizedAccount")
        .withArgs(f.bob.address);
      await expect(f.oracle.connect(f.stranger).acceptOwnership())
        .to.be.revertedWithCustomError(f.oracle, "OwnableUnauthorizedAccount")
        .withArgs(f.stranger.address);
      await expect(f.oracle.connect(f.bob).acceptOwnership())
        .to.emit(f.oracle, "OwnershipTransferred")
        .withArgs(f.treasury, f.bob.address);
      await expect(f.oracle.connect(f.bob).setThreshold(1n))
        .to.emit(f.oracle, "ThresholdUpdated")
        .withArgs(THRESHOLD, 1n);
    });
  });

  describe("the published set and its router", () => {
    /** The router's copy of the set equals the oracle's: what settles is checked against the set governance made. */
    async function expectRouterInSync(f: F) {
      const [data, count, threshold] = await f.oracle.signerSet();
      expect(await f.inferenceRouter.signerSet()).to.deep.equal([data, count, threshold]);
      expect(count).to.equal(BigInt((await f.oracle.signers()).length));
    }

    it("publishes the signers sorted ascending, after a STOP byte, and the deployment bound it to the router", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      const sorted = [f.s1, f.s2, f.s3].map((s) => s.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      expect(await f.oracle.signers()).to.deep.equal(sorted);
      const [data] = await f.oracle.signerSet();
      const code = await connection.ethers.provider.getCode(data);
      expect(code).to.equal(`0x00${sorted.map((a) => a.slice(2).toLowerCase()).join("")}`);
      expect(await f.oracle.router()).to.equal(await f.inferenceRouter.getAddress());
      await expectRouterInSync(f);
    });

    it("pushes every change of the set to the router in the same transaction", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await expect(f.oracle.connect(f.governance).addSigner(f.stranger)).to.emit(f.inferenceRouter, "SignerSetUpdated");
      await expectRouterInSync(f);
      expect(await f.oracle.isSigner(f.stranger)).to.equal(true);
      await expect(f.oracle.connect(f.governance).setThreshold(3n)).to.emit(f.inferenceRouter, "SignerSetUpdated");
      await expectRouterInSync(f);
      await expect(f.oracle.connect(f.governance).removeSigner(f.s1)).to.emit(f.inferenceRouter, "SignerSetUpdated");
      await expectRouterInSync(f);
      expect(await f.oracle.isSigner(f.s1)).to.equal(false);
      // The removed signer's signature no longer counts at the router.
      await f.inferenceRouter.connect(f.payer).payInference(1n, 2_000n, 1_000n, requestId("sync"), 10n ** 30n);
      const r = report(inferenceIdOf(f.payer.address, requestId("sync")), REPORT.contributionIds, REPORT.weights);
      await expect(f.inferenceRouter.settle(r, await signReport(f.domain, r, [f.s1, f.s2, f.s3])))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleUnknownSigner")
        .withArgs(f.s1.address);
      await expect(f.inferenceRouter.settle(r, await signReport(f.domain, r, [f.s2, f.s3, f.stranger]))).to.emit(
        f.inferenceRouter,
        "InferenceSettled",
      );
    });

    it("binds once, by its deployer or governance, and refuses anyone else, a second binding and the zero address", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      const fresh = await new AttributionOracle__factory(f.deployer).deploy(f.governance, [f.s1.address], 1n);
      await expect(fresh.connect(f.stranger).bindRouter(f.inferenceRouter))
        .to.be.revertedWithCustomError(fresh, "AttributionOracleNotBinder")
        .withArgs(f.stranger.address);
      await expect(fresh.bindRouter(ZeroAddress)).to.be.revertedWithCustomError(fresh, "AttributionOracleZeroAddress");
      // Bound, but the router settles with another oracle: it is not sent the set, and keeps its own.
      const before = await f.inferenceRouter.signerSet();
      await expect(fresh.connect(f.governance).bindRouter(f.inferenceRouter))
        .to.emit(fresh, "RouterBound")
        .withArgs(await f.inferenceRouter.getAddress())
        .and.not.to.emit(f.inferenceRouter, "SignerSetUpdated");
      await fresh.connect(f.governance).addSigner(f.s2);
      expect(await f.inferenceRouter.signerSet()).to.deep.equal(before);
      await expect(fresh.bindRouter(f.stranger))
        .to.be.revertedWithCustomError(fresh, "AttributionOracleAlreadyBound")
        .withArgs(await f.inferenceRouter.getAddress());
    });

    it("an oracle never bound verifies on its own and changes freely", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      const alone = await new AttributionOracle__factory(f.deployer).deploy(f.governance, [f.s3.address], 1n);
      await alone.connect(f.governance).addSigner(f.s1);
      await alone.connect(f.governance).setThreshold(2n);
      await alone.verifySignatures(f.digest, await sign(f, [f.s1, f.s3]));
      expect(await alone.router()).to.equal(ZeroAddress);
    });
  });

  describe("verifySignatures", () => {
    it("accepts any threshold-sized subset of the signers", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      for (const pair of [
        [f.s1, f.s2],
        [f.s1, f.s3],
        [f.s2, f.s3],
      ]) {
        await f.oracle.verifySignatures(f.digest, await sign(f, pair));
      }
    });

    it("accepts more than threshold signatures when all are valid", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      await f.oracle.verifySignatures(f.digest, await sign(f, [f.s1, f.s2, f.s3]));
    });

    it("reverts when one of more than threshold signatures is invalid: every signature given must be valid", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      const good = await sign(f, [f.s1, f.s2]);
      const bad = defined((await signReport(f.domain, OTHER_REPORT, [f.s3]))[0], "signature");
      await expect(f.oracle.verifySignatures(f.digest, sortBySigner([...good, bad])))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleInvalidSignature")
        .withArgs(f.s3.address);
    });

    it("reverts with AttributionOracleInvalidSignature for a registered signer's signature of another digest", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      const signatures = await sign(f, [f.s1, f.s2]);
      const target = defined(signatures[0], "signature");
      await expect(f.oracle.verifySignatures(f.otherDigest, signatures))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleInvalidSignature")
        .withArgs(target.signer);
    });

    it("reverts with AttributionOracleMalformedSignature for signatures that are not 65-byte ECDSA", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      const valid = await sign(f, [f.s1, f.s2]);
      const target = defined(valid[0], "signature");
      for (const malformed of ["0x", "0x" + "11".repeat(64), target.signature + "00", "0x" + "00".repeat(65)]) {
        const signatures = [{ ...target, signature: malformed }, ...valid.slice(1)];
        await expect(f.oracle.verifySignatures(f.digest, signatures))
          .to.be.revertedWithCustomError(f.oracle, "AttributionOracleMalformedSignature")
          .withArgs(target.signer);
      }
    });

    it("reverts with AttributionOracleTooFewSignatures, DuplicateSigner, SignersNotSorted and UnknownSigner", async () => {
      const f = await networkHelpers.loadFixture(oracleFixture);
      const [a, b] = (await sign(f, [f.s1, f.s2])) as [SignerSignature, SignerSignature];
      await expect(f.oracle.verifySignatures(f.digest, [a]))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleTooFewSignatures")
        .withArgs(1n, THRESHOLD);
      await expect(f.oracle.verifySignatures(f.digest, [b, b]))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleDuplicateSigner")
        .withArgs(b.signer);
      await expect(f.oracle.verifySignatures(f.digest, [b, a]))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleSignersNotSorted")
        .withArgs(1n);
      await expect(f.oracle.verifySignatures(f.digest, [{ signer: ZeroAddress, signature: "0x" }, a]))
        .to.be.revertedWithCustomError(f.oracle, "AttributionOracleUnknownSigner")
        .withArgs(ZeroAddress);
    });

    describe("EIP-1271 contract signers (bytecode installed with hardhat_setCode, no Solidity added)", () => {
      it("counts a contract signer that approves the digest", async () => {
        const f = await networkHelpers.loadFixture(oracleFixture);
        const wallet = await contractSigner(f, APPROVED_HASH_WALLET, f.digest);
        const signatures = sortBySigner([{ signer: wallet, signature: "0x" }, ...(await sign(f, [f.s1]))]);
        await f.oracle.verifySignatures(f.digest, signatures);
      });

      it("reverts with AttributionOracleInvalidSignature when the contract does not approve the digest", async () => {
        const f = await networkHelpers.loadFixture(oracleFixture);
        const wallet = await contractSigner(f, APPROVED_HASH_WALLET, f.otherDigest);
        const signatures = sortBySigner([{ signer: wallet, signature: "0x" }, ...(await sign(f, [f.s1]))]);
        await expect(f.oracle.verifySignatures(f.digest, signatures))
          .to.be.revertedWithCustomError(f.oracle, "AttributionOracleInvalidSignature")
          .withArgs(wallet);
      });

      it("reverts with AttributionOracleInvalidSignature when the contract reverts", async () => {
        const f = await networkHelpers.loadFixture(oracleFixture);
        const wallet = await contractSigner(f, REVERTING_CODE);
        const signatures = sortBySigner([{ signer: wallet, signature: "0x" }, ...(await sign(f, [f.s1]))]);
        await expect(f.oracle.verifySignatures(f.digest, signatures))
          .to.be.revertedWithCustomError(f.oracle, "AttributionOracleInvalidSignature")
          .withArgs(wallet);
      });

      it("settles a report through the router with a contract signer and an EOA", async () => {
        const f = await networkHelpers.loadFixture(oracleFixture);
        await f.inferenceRouter.connect(f.payer).payInference(1n, 2_000n, 1_000n, requestId("1271"), 10n ** 30n);
        const inferenceId = inferenceIdOf(f.payer.address, requestId("1271"));
        const r = report(inferenceId, REPORT.contributionIds, REPORT.weights);
        const digest = reportDigest(f.domain, r);
        const wallet = await contractSigner(f, APPROVED_HASH_WALLET, digest);
        const signatures = sortBySigner([
          { signer: wallet, signature: "0x" },
          ...(await signReport(f.domain, r, [f.s2])),
        ]);
        // 0.128 OPEN shared 60:40.
        await expect(f.inferenceRouter.settle(r, signatures))
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(
            inferenceId,
            r.outputHash,
            r.indexCommitment,
            0n,
            packCredits(r.contributionIds, [768n * 10n ** 14n, 512n * 10n ** 14n]),
          );
      });
    });
  });

  describe("the largest signer set", () => {
    /** An oracle of MAX_SIGNERS keys (not the node's accounts), all of which must sign. */
    async function fullOracleFixture(conn: Connection) {
      const f = await oracleFixture(conn);
      const keys = deterministicWallets("full oracle signer", Number(MAX_SIGNERS));
      const full = await new AttributionOracle__factory(f.deployer).deploy(
        f.treasury,
        keys.map((k) => k.address),
        MAX_SIGNERS,
      );
      return { ...f, full, keys };
    }

    it("accepts MAX_SIGNERS valid signatures when all are required", async () => {
      const f = await networkHelpers.loadFixture(fullOracleFixture);
      await f.full.verifySignatures(f.digest, signDigest(f.digest, f.keys));
    });

    it("refuses MAX_SIGNERS − 1 of them with AttributionOracleTooFewSignatures", async () => {
      const f = await networkHelpers.loadFixture(fullOracleFixture);
      await expect(f.full.verifySignatures(f.digest, signDigest(f.digest, f.keys.slice(1))))
        .to.be.revertedWithCustomError(f.full, "AttributionOracleTooFewSignatures")
        .withArgs(MAX_SIGNERS - 1n, MAX_SIGNERS);
    });

    it("refuses the full set when the last signature signs another digest", async () => {
      const f = await networkHelpers.loadFixture(fullOracleFixture);
      const signatures = signDigest(f.digest, f.keys);
      const last = defined(signatures.at(-1), "last signature");
      const key = defined(
        f.keys.find((k) => k.address === last.signer),
        "its key",
      );
      last.signature = key.signingKey.sign(f.otherDigest).serialized;
      await expect(f.full.verifySignatures(f.digest, signatures))
        .to.be.revertedWithCustomError(f.full, "AttributionOracleInvalidSignature")
        .withArgs(last.signer);
    });
  });
});
