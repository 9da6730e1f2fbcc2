import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, formatTime } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { table } from "../lib/table.js";

interface Args {
  datanet: bigint;
  from: string | undefined;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const datanetId = args.datanet;
    const { client } = await openProtocol(hre, args.from);
    const d = await client.datanets.datanet(datanetId);
    console.log(`Datanet ${datanetId} — ${d.open ? "open" : "closed"}, created ${formatTime(d.createdAt)}`);
    console.log(`  metadata      ${d.metadataURI}`);
    console.log(`  owner         ${d.owner}`);
    console.log(`  curators      ${d.curators.join(", ")}`);
    console.log(`  bond          ${formatOpen(d.bond)}`);
    console.log(`  contributions ${d.contributionCount} submitted, ${d.acceptedCount} accepted`);

    const rows = (await client.datanets.contributions(datanetId)).map((c) => [
      String(c.id),
      c.status,
      c.contributor,
      `${c.size} B`,
      formatOpen(c.bond),
      c.uri,
    ]);
    if (rows.length > 0) {
      console.log(
        "\n" + table(["id", "status", "contributor", "size", "bond", "uri"], rows, ["r", "l", "l", "r", "r", "l"]),
      );
    }
    for (const v of d.versions) {
      console.log(
        `\nVersion ${v.version}: ${v.count} contribution(s), root ${v.merkleRoot}, published ${formatTime(v.publishedAt)}, ${v.uri}`,
      );
    }
  });
}
