import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseIdList, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  accept: string | undefined;
  reject: string | undefined;
  from: string | undefined;
}

export default async function reviewAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const accepts = parseIdList(args.accept ?? "", "--accept");
    const rejects = parseIdList(args.reject ?? "", "--reject");
    const { client } = await openProtocol(hre, args.from);
    const r = await client.datanets.review(accepts, rejects);
    console.log(
      `Datanet ${r.datanetId}: accepted ${r.accepted} (bonds credited back), rejected ${r.rejected} (${formatOpen(r.slashed)} of bonds to the treasury) (tx ${r.hash}).`,
    );
  });
}
