import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, formatTime } from "../../sdk/core/format.js";
import { parseIdList, parseOpenAmount, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  metadata: string | undefined;
  datanets: string | undefined;
  inputRate: string | undefined;
  outputRate: string | undefined;
  maxBond: string | undefined;
  skipProposal: boolean;
  from: string | undefined;
}

export default async function proposeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const metadata = required(args.metadata, "--metadata", "ipfs://model.json");
    // Given but empty, or naming a datanet twice: the client refuses the list (see tasks/lib/hints.ts).
    const datanets = parseIdList(args.datanets ?? required(args.datanets, "--datanets", "1,2"), "--datanets");
    const inputRate = parseOpenAmount(required(args.inputRate, "--input-rate", "0.06"), "--input-rate", true);
    const outputRate = parseOpenAmount(required(args.outputRate, "--output-rate", "0.2"), "--output-rate", true);
    const maxBond = args.maxBond === undefined ? undefined : parseOpenAmount(args.maxBond, "--max-bond", true);
    const { client, signer } = await openProtocol(hre, args.from);
    const r = await client.models.propose(
      metadata,
      datanets,
      { inputRate, outputRate },
      { fileProposal: !args.skipProposal, ...(maxBond === undefined ? {} : { maxBond }) },
    );
    console.log(
      `Model ${r.modelId} proposed by ${signer.address} on datanet(s) ${datanets.join(", ")}, bond ${formatOpen(r.bond)} (tx ${r.hash}).`,
    );
    console.log(
      maxBond === undefined
        ? `  The bond was capped at its current ${formatOpen(r.maxBond)}: a raise by governance before the transaction landed would have been refused (--max-bond to accept more).`
        : `  The bond was capped at --max-bond ${formatOpen(r.maxBond)}.`,
    );
    if (r.proposal === undefined) {
      console.log(
        `No governor proposal filed; a gOPEN holder can file one (npx hardhat gov propose) whose action is modelRegistry.approveModel(${r.modelId}).`,
      );
      return;
    }
    console.log(`Governor proposal ${r.proposal.proposalId} approves it.`);
    console.log(
      `  Voting runs from ${formatTime(r.proposal.voteStart)} to ${formatTime(r.proposal.voteEnd)}; then the proposal is queued and executed (npx hardhat gov queue, gov execute).`,
    );
  });
}
