import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatTime } from "../../sdk/core/format.js";
import { shortProposalIds } from "../../sdk/core/proposals.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { table } from "../lib/table.js";

interface Args {
  from: string | undefined;
}

/** The first line of a description, cut to `max` characters. */
function headline(description: string, max = 60): string {
  const line = description.trim().split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export default async function listAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const proposals = await client.governance.proposals();
    if (proposals.length === 0) {
      console.log("There are no proposals on this governor yet.");
      return;
    }
    const short = shortProposalIds(proposals.map((p) => p.proposalId));
    const rows = proposals.map((p) => [
      short.get(p.proposalId) ?? p.proposalId.toString(),
      p.state,
      p.proposer,
      formatTime(p.voteEnd),
      headline(p.description),
    ]);
    console.log(table(["id", "state", "proposer", "voting ends", "description"], rows, ["l", "l", "l", "l", "l"]));
  });
}
