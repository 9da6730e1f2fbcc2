import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import type { BaseContract } from "ethers";

/** What each generated case needs, obtained lazily (inside the `it`) so that fixtures run per test. */
export interface GovernanceOnlyContext<C extends BaseContract> {
  /** The contract under test; its ABI must declare the expected custom error. */
  contract: C;
  /** Accounts that are not governance; every one of them must be refused. */
  callers: readonly HardhatEthersSigner[];
}

/**
 * One restricted entry point, called by `caller`: a transaction, or a call for entry points declared
 * `view` that only ever revert (such as a disabled `renounceOwnership`).
 */
export interface GovernanceOnlyCall<C extends BaseContract> {
  name: string;
  call: (contract: C, caller: HardhatEthersSigner) => Promise<unknown>;
}

/** The refusal: a custom error and its arguments for a given caller address (default: the caller alone). */
export interface GovernanceOnlyError {
  name: string;
  args?: (caller: string) => readonly unknown[];
}

const OWNABLE_UNAUTHORIZED: GovernanceOnlyError = {
  name: "OwnableUnauthorizedAccount",
  args: (caller) => [caller],
};

/**
 * Registers one `it` per entry point asserting that a call from any non-governance account reverts
 * with `error` (by default OpenZeppelin's `OwnableUnauthorizedAccount(caller)`).
 */
export function shouldBehaveLikeGovernanceOnly<C extends BaseContract>(
  getContext: () => Promise<GovernanceOnlyContext<C>>,
  calls: readonly GovernanceOnlyCall<C>[],
  error: GovernanceOnlyError = OWNABLE_UNAUTHORIZED,
): void {
  for (const { name, call } of calls) {
    it(`${name} reverts with ${error.name} when called by a non-governance account`, async () => {
      const { contract, callers } = await getContext();
      expect(callers, "callers to check").to.not.have.lengthOf(0);
      for (const caller of callers) {
        const assertion = expect(call(contract, caller)).to.be.revertedWithCustomError(contract, error.name);
        if (error.args === undefined) await assertion;
        else await assertion.withArgs(...error.args(caller.address));
      }
    });
  }
}
