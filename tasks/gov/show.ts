import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, formatTime } from "../../sdk/core/format.js";
import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  id: string;
  from: string;
}

export default async function stateAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const proposalId = parseUint(required(args.id, "--id", "<proposal id>"), "--id");
    const { client } = await openProtocol(hre, args.from);
    const s = await client.governance.proposal(proposalId);
    console.log(`Proposal ${proposalId}: ${s.state}`);
    console.log(`  voting     ${formatTime(s.voteStart)} → ${formatTime(s.voteEnd)}`);
    console.log(`  for        ${formatOpen(s.forVotes, "votes")}`);
    console.log(`  against    ${formatOpen(s.againstVotes, "votes")}`);
    console.log(`  abstain    ${formatOpen(s.abstainVotes, "votes")}`);
    console.log(`  quorum     ${formatOpen(s.quorum, "votes")} (for + abstain must reach it)`);
    if (s.eta > 0n) console.log(`  executable from ${formatTime(s.eta)}`);
  });
}
