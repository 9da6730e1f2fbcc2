import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { UserError, formatOpen, formatTime, parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { CONTRIBUTION_STATUSES, contributionsByStatus } from "../lib/datanets.js";
import { queryInSpans } from "../lib/events.js";
import { table } from "../lib/table.js";

interface Args {
  id: string;
  from: string;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const datanetId = parseUint(required(args.id, "--id", "1"), "--id");
    const ctx = await openProtocol(hre, args.from);
    const { datanetRegistry, deployment } = ctx;
    if (!(await datanetRegistry.datanetExists(datanetId))) throw new UserError(`There is no datanet ${datanetId}.`);
    const d = await datanetRegistry.getDatanet(datanetId);
    const curatorEvents = await queryInSpans(ctx.connection.ethers.provider, deployment.deployBlock, (from, to) =>
      datanetRegistry.queryFilter(datanetRegistry.filters.CuratorUpdated(datanetId), from, to),
    );
    const curators = new Set<string>([d.owner]);
    for (const e of curatorEvents) {
      if (e.args.isCurator) curators.add(e.args.curator);
      else curators.delete(e.args.curator);
    }
    console.log(`Datanet ${datanetId} — ${d.open ? "open" : "closed"}, created ${formatTime(d.createdAt)}`);
    console.log(`  metadata      ${d.metadataURI}`);
    console.log(`  owner         ${d.owner}`);
    console.log(`  curators      ${[...curators].join(", ")}`);
    console.log(`  bond          ${formatOpen(d.contributionBond)}`);
    console.log(`  contributions ${d.contributionCount} submitted, ${d.acceptedCount} accepted`);

    const byStatus = await contributionsByStatus(ctx, datanetId);
    const rows: string[][] = [];
    for (const status of CONTRIBUTION_STATUSES) {
      for (const c of byStatus.get(status) ?? []) {
        rows.push([String(c.id), status, c.contributor, `${c.size} B`, formatOpen(c.bond), c.uri]);
      }
    }
    if (rows.length > 0) {
      rows.sort((a, b) => Number(a[0]) - Number(b[0]));
      console.log(
        "\n" + table(["id", "status", "contributor", "size", "bond", "uri"], rows, ["r", "l", "l", "r", "r", "l"]),
      );
    }
    for (let v = 1n; v <= d.versionCount; v++) {
      const version = await datanetRegistry.getVersion(datanetId, v);
      console.log(
        `\nVersion ${v}: ${version.count} contribution(s), root ${version.merkleRoot}, published ${formatTime(version.publishedAt)}, ${version.uri}`,
      );
    }
  });
}
