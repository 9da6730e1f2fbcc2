import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, formatTime } from "../../sdk/core/format.js";
import { shortProposalId } from "../../sdk/core/proposals.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  proposal: string;
  from: string | undefined;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const { governance } = client;
    const proposalId = await governance.resolveProposalId(args.proposal);
    const s = await governance.proposal(proposalId);
    const filed = await governance.findProposal(proposalId);
    console.log(`Proposal ${proposalId} (short id ${shortProposalId(proposalId)}): ${s.state}`);
    console.log(`  description  ${filed.description.trim().split("\n").join("\n               ")}`);
    console.log(`  proposer     ${filed.proposer}`);
    for (const [i, action] of filed.actions.entries()) {
      console.log(`  ${i === 0 ? "actions    " : "           "}  ${i + 1}. ${governance.describeAction(action).text}`);
    }
    console.log(`  voting       ${formatTime(s.voteStart)} → ${formatTime(s.voteEnd)}`);
    console.log(`  for          ${formatOpen(s.forVotes, "votes")}`);
    console.log(`  against      ${formatOpen(s.againstVotes, "votes")}`);
    console.log(`  abstain      ${formatOpen(s.abstainVotes, "votes")}`);
    console.log(`  quorum       ${formatOpen(s.quorum, "votes")} (for + abstain must reach it)`);
    if (s.eta > 0n) console.log(`  executable from ${formatTime(s.eta)}`);
  });
}
