import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { type ContractTransactionResponse, ZeroHash, id, toBeHex } from "ethers";

import type { ProtocolGovernor, StakedOpen } from "../../types/ethers-contracts/index.js";

/** OpenZeppelin Governor's ProposalState enum. */
export const ProposalState = {
  Pending: 0n,
  Active: 1n,
  Canceled: 2n,
  Defeated: 3n,
  Succeeded: 4n,
  Queued: 5n,
  Expired: 6n,
  Executed: 7n,
} as const;

/** GovernorCountingSimple's vote types. */
export const VoteType = { Against: 0, For: 1, Abstain: 2 } as const;

/** TimelockController's OperationState enum. */
export const OperationState = { Unset: 0n, Waiting: 1n, Ready: 2n, Done: 3n } as const;

/** TimelockController role ids. */
export const Roles = {
  DEFAULT_ADMIN: ZeroHash,
  PROPOSER: id("PROPOSER_ROLE"),
  EXECUTOR: id("EXECUTOR_ROLE"),
  CANCELLER: id("CANCELLER_ROLE"),
} as const;

/** The bytes32 bitmap Governor and TimelockController put in their "unexpected state" errors. */
export function stateBitmap(...states: readonly bigint[]): string {
  let bitmap = 0n;
  for (const state of states) bitmap |= 1n << state;
  return toBeHex(bitmap, 32);
}

/** A governor proposal: what it calls and how it is identified. */
export interface Proposal {
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  descriptionHash: string;
}

/** A single-call proposal without ETH. */
export function singleCallProposal(target: string, calldata: string, description: string): Proposal {
  return { targets: [target], values: [0n], calldatas: [calldata], description, descriptionHash: id(description) };
}

/**
 * GovernorTimelockControl's salt for the timelock operation of a proposal:
 * bytes20(governor) XOR descriptionHash (the address in the 20 high-order bytes).
 */
export function timelockSalt(governor: string, descriptionHash: string): string {
  return toBeHex((BigInt(governor) << 96n) ^ BigInt(descriptionHash), 32);
}

/** The id of `proposal` on `governor`. */
export async function proposalIdOf(governor: ProtocolGovernor, proposal: Proposal): Promise<bigint> {
  return governor.hashProposal(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
}

/** A proposal to slash `amount` OPEN-wei of `account`'s stake and queued withdrawal, with a reason. */
export async function slashProposal(
  stakedOpen: StakedOpen,
  account: string,
  amount: bigint,
  reason: string,
): Promise<Proposal> {
  const calldata = stakedOpen.interface.encodeFunctionData("slash", [account, amount, reason]);
  return singleCallProposal(await stakedOpen.getAddress(), calldata, `Slash ${account}: ${reason}`);
}

/** Submits `proposal` as `proposer` and returns the transaction and the proposal's id. */
export async function propose(
  governor: ProtocolGovernor,
  proposer: HardhatEthersSigner,
  proposal: Proposal,
): Promise<{ tx: ContractTransactionResponse; id: bigint }> {
  const tx = await governor
    .connect(proposer)
    .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description);
  return { tx, id: await proposalIdOf(governor, proposal) };
}

/** Queues a succeeded `proposal` in the timelock (anyone may). */
export function queue(governor: ProtocolGovernor, proposal: Proposal): Promise<ContractTransactionResponse> {
  return governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
}

/** Executes a queued `proposal` whose timelock delay has passed (anyone may). */
export function execute(governor: ProtocolGovernor, proposal: Proposal): Promise<ContractTransactionResponse> {
  return governor.execute(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
}
