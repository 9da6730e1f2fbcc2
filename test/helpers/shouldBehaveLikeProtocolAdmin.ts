import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { Time } from "@nomicfoundation/hardhat-network-helpers/types";
import { expect } from "chai";
import { ZeroAddress, type BaseContract } from "ethers";

import { ProtocolAdmin__factory, type ProtocolAdmin } from "../../types/ethers-contracts/index.js";
import { DAY, HOUR } from "./constants.js";
import { shouldBehaveLikeGovernanceOnly } from "./shouldBehaveLikeGovernanceOnly.js";

/** An entry point that a pause must stop, called on the subject a case was given. */
export interface PausedCall<S extends ProtocolAdminSubject> {
  name: string;
  /**
   * Sends the call from an account the contract would otherwise accept it from. While paused it must revert with
   * ProtocolAdminPaused; once unpaused it must not (it may still revert for a reason of its own).
   */
  call: (subject: S) => Promise<unknown>;
}

/**
 * What the shared behaviour needs to know about one contract that inherits ProtocolAdmin, whatever fixture built
 * it. Obtained inside each `it` (typically through `loadFixture`), so every case starts from the same state: the
 * contract unpaused, owned by `governance`, with `guardian` as its guardian. Earlier pauses are allowed (the active
 * clock is checked relative to `pausedSeconds()`).
 */
export interface ProtocolAdminSubject {
  /** The contract under test; it is driven through the ProtocolAdmin ABI at its address. */
  contract: BaseContract;
  /** Its owner: governance (the timelock, impersonated). */
  governance: HardhatEthersSigner;
  /** Its guardian. */
  guardian: HardhatEthersSigner;
  /** At least two accounts that are neither governance nor the guardian. */
  strangers: readonly HardhatEthersSigner[];
  /** The time helpers of the network the contract lives on (the active clock is checked against them). */
  time: Time;
}

interface Admin<S extends ProtocolAdminSubject> {
  admin: ProtocolAdmin;
  subject: S;
  /** The first stranger: the candidate owner, new guardian or new treasury of a case. */
  newcomer: HardhatEthersSigner;
}

async function load<S extends ProtocolAdminSubject>(getSubject: () => Promise<S>): Promise<Admin<S>> {
  const subject = await getSubject();
  const [newcomer, other] = subject.strangers;
  if (newcomer === undefined || other === undefined)
    throw new Error("shouldBehaveLikeProtocolAdmin needs two strangers");
  const admin = ProtocolAdmin__factory.connect(await subject.contract.getAddress(), subject.governance);
  return { admin, subject, newcomer };
}

async function latest(time: Time): Promise<bigint> {
  return BigInt(await time.latest());
}

/** Pins the timestamp of the next block `seconds` after the latest one and returns it. */
async function pinNext(time: Time, seconds: bigint): Promise<bigint> {
  const timestamp = (await latest(time)) + seconds;
  await time.setNextBlockTimestamp(timestamp);
  return timestamp;
}

/**
 * The behaviour every ProtocolAdmin contract shares (OpenZeppelin's `shouldBehaveLike…` style): guardian pause,
 * governance-only unpause, the active clock, the treasury and guardian setters, renounceOwnership disabled and
 * two-step ownership. Registers a `describe` of its own; call it inside the contract's `describe`.
 *
 * @param getSubject The contract and its roles, from a fresh fixture (it may carry more fields for `pausedCalls`).
 * @param pausedCalls Entry points the pause must stop, each checked in its own case.
 */
export function shouldBehaveLikeProtocolAdmin<S extends ProtocolAdminSubject>(
  getSubject: () => Promise<S>,
  pausedCalls: readonly PausedCall<S>[] = [],
): void {
  describe("ProtocolAdmin", () => {
    it("is owned by governance with no pending owner, and names its guardian and a treasury", async () => {
      const { admin, subject } = await load(getSubject);
      expect(await admin.owner()).to.equal(subject.governance.address);
      expect(await admin.pendingOwner()).to.equal(ZeroAddress);
      expect(await admin.guardian()).to.equal(subject.guardian.address);
      expect(await admin.treasury()).to.not.equal(ZeroAddress);
      expect(await admin.paused()).to.equal(false);
    });

    describe("pause", () => {
      it("lets the guardian pause and emits Paused(guardian)", async () => {
        const { admin, subject } = await load(getSubject);
        await expect(admin.connect(subject.guardian).pause())
          .to.emit(admin, "Paused")
          .withArgs(subject.guardian.address);
        expect(await admin.paused()).to.equal(true);
      });

      it("lets governance pause and emits Paused(governance)", async () => {
        const { admin, subject } = await load(getSubject);
        await expect(admin.connect(subject.governance).pause())
          .to.emit(admin, "Paused")
          .withArgs(subject.governance.address);
        expect(await admin.paused()).to.equal(true);
      });

      it("reverts with ProtocolAdminNotGuardian(caller) for anyone else", async () => {
        const { admin, subject } = await load(getSubject);
        for (const caller of subject.strangers) {
          await expect(admin.connect(caller).pause())
            .to.be.revertedWithCustomError(admin, "ProtocolAdminNotGuardian")
            .withArgs(caller.address);
        }
        expect(await admin.paused()).to.equal(false);
      });

      it("reverts a second pause with ProtocolAdminPaused, by the guardian or governance", async () => {
        const { admin, subject } = await load(getSubject);
        await admin.connect(subject.guardian).pause();
        for (const caller of [subject.guardian, subject.governance]) {
          await expect(admin.connect(caller).pause()).to.be.revertedWithCustomError(admin, "ProtocolAdminPaused");
        }
      });

      it("checks the caller before the state: a stranger is refused with ProtocolAdminNotGuardian while paused", async () => {
        const { admin, subject, newcomer } = await load(getSubject);
        await admin.connect(subject.guardian).pause();
        await expect(admin.connect(newcomer).pause())
          .to.be.revertedWithCustomError(admin, "ProtocolAdminNotGuardian")
          .withArgs(newcomer.address);
      });
    });

    describe("while paused", () => {
      if (pausedCalls.length === 0) return;
      for (const { name, call } of pausedCalls) {
        it(`stops ${name} with ProtocolAdminPaused and lets it through again after unpause`, async () => {
          const { admin, subject } = await load(getSubject);
          await admin.connect(subject.guardian).pause();
          await expect(call(subject), "while paused").to.be.revertedWithCustomError(admin, "ProtocolAdminPaused");
          await admin.connect(subject.governance).unpause();
          await expect(call(subject), "after unpause").to.not.be.revertedWithCustomError(admin, "ProtocolAdminPaused");
        });
      }
    });

    describe("unpause", () => {
      it("lets governance unpause and emits Unpaused(governance, seconds paused)", async () => {
        const { admin, subject } = await load(getSubject);
        const pausedAt = await pinNext(subject.time, 10n);
        await admin.connect(subject.guardian).pause();
        const unpausedAt = await pinNext(subject.time, HOUR);
        await expect(admin.connect(subject.governance).unpause())
          .to.emit(admin, "Unpaused")
          .withArgs(subject.governance.address, unpausedAt - pausedAt);
        expect(await admin.paused()).to.equal(false);
      });

      it("reverts with OwnableUnauthorizedAccount(guardian) for the guardian", async () => {
        const { admin, subject } = await load(getSubject);
        await admin.connect(subject.guardian).pause();
        await expect(admin.connect(subject.guardian).unpause())
          .to.be.revertedWithCustomError(admin, "OwnableUnauthorizedAccount")
          .withArgs(subject.guardian.address);
        expect(await admin.paused()).to.equal(true);
      });

      it("reverts with ProtocolAdminNotPaused when not paused", async () => {
        const { admin, subject } = await load(getSubject);
        await expect(admin.connect(subject.governance).unpause()).to.be.revertedWithCustomError(
          admin,
          "ProtocolAdminNotPaused",
        );
      });

      it("reverts a second unpause with ProtocolAdminNotPaused", async () => {
        const { admin, subject } = await load(getSubject);
        await admin.connect(subject.guardian).pause();
        await admin.connect(subject.governance).unpause();
        await expect(admin.connect(subject.governance).unpause()).to.be.revertedWithCustomError(
          admin,
          "ProtocolAdminNotPaused",
        );
      });

      it("lets the guardian pause again after an unpause", async () => {
        const { admin, subject } = await load(getSubject);
        await admin.connect(subject.guardian).pause();
        await admin.connect(subject.governance).unpause();
        await expect(admin.connect(subject.guardian).pause())
          .to.emit(admin, "Paused")
          .withArgs(subject.guardian.address);
      });
    });

    describe("active clock", () => {
      it("runs with Unix time minus the seconds of past pauses while not paused", async () => {
        const { admin, subject } = await load(getSubject);
        const pausedSeconds = await admin.pausedSeconds();
        await subject.time.increase(DAY);
        expect(await admin.activeTime()).to.equal((await latest(subject.time)) - pausedSeconds);
        await subject.time.increase(HOUR);
        expect(await admin.activeTime()).to.equal((await latest(subject.time)) - pausedSeconds);
      });

      it("stands still while paused", async () => {
        const { admin, subject } = await load(getSubject);
        const pausedSeconds = await admin.pausedSeconds();
        const pausedAt = await pinNext(subject.time, 10n);
        await admin.connect(subject.guardian).pause();
        const frozen = pausedAt - pausedSeconds;
        expect(await admin.activeTime()).to.equal(frozen);
        await subject.time.increase(DAY);
        expect(await admin.activeTime()).to.equal(frozen);
        await subject.time.increase(30n * DAY);
        expect(await admin.activeTime()).to.equal(frozen);
        expect(await admin.pausedSeconds(), "pausedSeconds counts ended pauses only").to.equal(pausedSeconds);
      });

      it("resumes after unpause, having skipped exactly the seconds paused", async () => {
        const { admin, subject } = await load(getSubject);
        const pausedSeconds = await admin.pausedSeconds();
        const pausedAt = await pinNext(subject.time, 10n);
        await admin.connect(subject.guardian).pause();
        const unpausedAt = await pinNext(subject.time, 3n * DAY);
        await admin.connect(subject.governance).unpause();
        expect(await admin.pausedSeconds()).to.equal(pausedSeconds + (unpausedAt - pausedAt));
        expect(await admin.activeTime(), "no second lost or gained at the unpause").to.equal(pausedAt - pausedSeconds);
        await subject.time.increase(HOUR);
        expect(await admin.activeTime()).to.equal(pausedAt - pausedSeconds + HOUR);
      });

      it("adds up the seconds of several pauses", async () => {
        const { admin, subject } = await load(getSubject);
        const before = await admin.pausedSeconds();
        const start = await latest(subject.time);
        const startActive = start - before;
        let paused = 0n;
        for (const [runFor, pauseFor] of [
          [HOUR, DAY],
          [DAY, 2n * HOUR],
          [1n, 1n],
        ] as const) {
          await pinNext(subject.time, runFor);
          await admin.connect(subject.guardian).pause();
          await pinNext(subject.time, pauseFor);
          await admin.connect(subject.governance).unpause();
          paused += pauseFor;
        }
        expect(await admin.pausedSeconds()).to.equal(before + paused);
        expect(await admin.activeTime()).to.equal((await latest(subject.time)) - before - paused);
        expect(await admin.activeTime()).to.equal(startActive + HOUR + DAY + 1n);
      });
    });

    describe("setTreasury", () => {
      it("sets the treasury and emits TreasuryUpdated(old, new)", async () => {
        const { admin, subject, newcomer } = await load(getSubject);
        const old = await admin.treasury();
        await expect(admin.connect(subject.governance).setTreasury(newcomer))
          .to.emit(admin, "TreasuryUpdated")
          .withArgs(old, newcomer.address);
        expect(await admin.treasury()).to.equal(newcomer.address);
      });

      it("reverts with ProtocolAdminZeroAddress for the zero address", async () => {
        const { admin, subject } = await load(getSubject);
        const old = await admin.treasury();
        await expect(admin.connect(subject.governance).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
          admin,
          "ProtocolAdminZeroAddress",
        );
        expect(await admin.treasury()).to.equal(old);
      });
    });

    describe("setGuardian", () => {
      it("moves the pause right to the new guardian and emits GuardianUpdated(old, new)", async () => {
        const { admin, subject, newcomer } = await load(getSubject);
        await expect(admin.connect(subject.governance).setGuardian(newcomer))
          .to.emit(admin, "GuardianUpdated")
          .withArgs(subject.guardian.address, newcomer.address);
        expect(await admin.guardian()).to.equal(newcomer.address);
        await expect(admin.connect(subject.guardian).pause())
          .to.be.revertedWithCustomError(admin, "ProtocolAdminNotGuardian")
          .withArgs(subject.guardian.address);
        await expect(admin.connect(newcomer).pause()).to.emit(admin, "Paused").withArgs(newcomer.address);
      });

      it("disables the guardian with the zero address, leaving pause to governance", async () => {
        const { admin, subject } = await load(getSubject);
        await expect(admin.connect(subject.governance).setGuardian(ZeroAddress))
          .to.emit(admin, "GuardianUpdated")
          .withArgs(subject.guardian.address, ZeroAddress);
        await expect(admin.connect(subject.guardian).pause())
          .to.be.revertedWithCustomError(admin, "ProtocolAdminNotGuardian")
          .withArgs(subject.guardian.address);
        await expect(admin.connect(subject.governance).pause())
          .to.emit(admin, "Paused")
          .withArgs(subject.governance.address);
      });

      it("leaves a pause in force when the guardian changes", async () => {
        const { admin, subject, newcomer } = await load(getSubject);
        await admin.connect(subject.guardian).pause();
        await admin.connect(subject.governance).setGuardian(newcomer);
        expect(await admin.paused()).to.equal(true);
      });
    });

    describe("ownership", () => {
      it("reverts renounceOwnership by governance with GovernanceRenounceDisabled", async () => {
        const { admin, subject } = await load(getSubject);
        await expect(admin.connect(subject.governance).renounceOwnership()).to.be.revertedWithCustomError(
          admin,
          "GovernanceRenounceDisabled",
        );
        expect(await admin.owner()).to.equal(subject.governance.address);
      });

      it("starts a transfer with OwnershipTransferStarted and leaves governance in charge until it is accepted", async () => {
        const { admin, subject, newcomer } = await load(getSubject);
        await expect(admin.connect(subject.governance).transferOwnership(newcomer))
          .to.emit(admin, "OwnershipTransferStarted")
          .withArgs(subject.governance.address, newcomer.address);
        expect(await admin.owner()).to.equal(subject.governance.address);
        expect(await admin.pendingOwner()).to.equal(newcomer.address);
        await expect(admin.connect(newcomer).setGuardian(newcomer))
          .to.be.revertedWithCustomError(admin, "OwnableUnauthorizedAccount")
          .withArgs(newcomer.address);
        await expect(admin.connect(subject.governance).setGuardian(subject.guardian)).to.emit(admin, "GuardianUpdated");
      });

      it("reverts acceptOwnership by anyone but the pending owner with OwnableUnauthorizedAccount", async () => {
        const { admin, subject, newcomer } = await load(getSubject);
        await admin.connect(subject.governance).transferOwnership(newcomer);
        for (const caller of [subject.governance, subject.guardian, ...subject.strangers.slice(1)]) {
          await expect(admin.connect(caller).acceptOwnership())
            .to.be.revertedWithCustomError(admin, "OwnableUnauthorizedAccount")
            .withArgs(caller.address);
        }
      });

      it("hands every governance power to the new owner once it accepts, and none is left to the old one", async () => {
        const { admin, subject, newcomer } = await load(getSubject);
        await admin.connect(subject.governance).transferOwnership(newcomer);
        await expect(admin.connect(newcomer).acceptOwnership())
          .to.emit(admin, "OwnershipTransferred")
          .withArgs(subject.governance.address, newcomer.address);
        expect(await admin.owner()).to.equal(newcomer.address);
        expect(await admin.pendingOwner()).to.equal(ZeroAddress);
        await expect(admin.connect(newcomer).pause()).to.emit(admin, "Paused").withArgs(newcomer.address);
        await expect(admin.connect(subject.governance).unpause())
          .to.be.revertedWithCustomError(admin, "OwnableUnauthorizedAccount")
          .withArgs(subject.governance.address);
        await expect(admin.connect(newcomer).unpause()).to.emit(admin, "Unpaused");
        await expect(admin.connect(subject.governance).pause())
          .to.be.revertedWithCustomError(admin, "ProtocolAdminNotGuardian")
          .withArgs(subject.governance.address);
      });

      it("cancels a pending transfer when governance names the zero address", async () => {
        const { admin, subject, newcomer } = await load(getSubject);
        await admin.connect(subject.governance).transferOwnership(newcomer);
        await admin.connect(subject.governance).transferOwnership(ZeroAddress);
        expect(await admin.pendingOwner()).to.equal(ZeroAddress);
        await expect(admin.connect(newcomer).acceptOwnership())
          .to.be.revertedWithCustomError(admin, "OwnableUnauthorizedAccount")
          .withArgs(newcomer.address);
      });
    });

    describe("governance-only entry points", () => {
      shouldBehaveLikeGovernanceOnly<ProtocolAdmin>(async () => {
        const { admin, subject } = await load(getSubject);
        return { contract: admin, callers: [subject.guardian, ...subject.strangers] };
      }, [
        { name: "setTreasury", call: (c, caller) => c.connect(caller).setTreasury(caller.address) },
        { name: "setGuardian", call: (c, caller) => c.connect(caller).setGuardian(caller.address) },
        { name: "unpause", call: (c, caller) => c.connect(caller).unpause() },
        { name: "transferOwnership", call: (c, caller) => c.connect(caller).transferOwnership(caller.address) },
        { name: "renounceOwnership", call: (c, caller) => c.connect(caller).renounceOwnership() },
      ]);
    });
  });
}
