import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress, id } from "ethers";

/** TimelockController role ids (keccak256 of the role name; the admin role is zero). */
const PROPOSER_ROLE = id("PROPOSER_ROLE");
const CANCELLER_ROLE = id("CANCELLER_ROLE");
const DEFAULT_ADMIN_ROLE = "0x" + "00".repeat(32);

const DAY = 24 * 60 * 60;
const WEEK = 7 * DAY;

/**
 * The foundation: OPEN, the timelock (treasury and owner of every parameter), gOPEN staking with votes,
 * and the governor. Defaults are OpenLedger's public values; local runs pass seconds through a
 * parameters file (ignition/parameters/).
 *
 * Wiring: the governor is the timelock's only proposer and canceller (which also lets it freeze the
 * withdrawals of a staker it proposes to slash), anyone may execute, and the deployer's bootstrap admin
 * role on the timelock is renounced at the end, so from then on only governance changes anything.
 */
export default buildModule("Governance", (m) => {
  const deployer = m.getAccount(0);

  const tokenRecipient = m.getParameter("tokenRecipient", deployer);
  const timelockMinDelay = m.getParameter("timelockMinDelay", WEEK);
  const votingDelay = m.getParameter("votingDelay", DAY);
  const votingPeriod = m.getParameter("votingPeriod", WEEK);
  const proposalThreshold = m.getParameter("proposalThreshold", 10_000n * 10n ** 18n);
  const quorumPercent = m.getParameter("quorumPercent", 5);
  const unstakeCooldown = m.getParameter("unstakeCooldown", WEEK);
  // The stakers' share of each reward period streams over the next one.
  const rewardPeriod = m.getParameter("rewardPeriod", DAY);
  // May pause new stakes (never unstaking, withdrawals or claims); zero for none.
  const guardian = m.getParameter("guardian", ZeroAddress);

  const openToken = m.contract("OpenToken", [tokenRecipient]);
  const timelock = m.contract("ProtocolTimelock", [timelockMinDelay, [], [ZeroAddress], deployer]);
  const stakedOpen = m.contract("StakedOpen", [
    openToken,
    { governance: timelock, treasury: timelock, guardian },
    unstakeCooldown,
    rewardPeriod,
  ]);
  const governor = m.contract("ProtocolGovernor", [
    stakedOpen,
    timelock,
    votingDelay,
    votingPeriod,
    proposalThreshold,
    quorumPercent,
  ]);

  const grantProposer = m.call(timelock, "grantRole", [PROPOSER_ROLE, governor], {
    id: "GrantProposerToGovernor",
  });
  const grantCanceller = m.call(timelock, "grantRole", [CANCELLER_ROLE, governor], {
    id: "GrantCancellerToGovernor",
  });
  m.call(timelock, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
    id: "RenounceBootstrapAdmin",
    after: [grantProposer, grantCanceller],
  });

  return { openToken, timelock, stakedOpen, governor };
});
