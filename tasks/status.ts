import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { PauseState } from "../sdk/client/status.js";
import { formatDuration, formatOpen, formatTime } from "../sdk/core/format.js";
import { runTask } from "./lib/cli.js";
import { openProtocol } from "./lib/context.js";
import { table } from "./lib/table.js";

const percent = (bps: bigint) => `${Number(bps) / 100}%`;
const wadPercent = (wad: bigint) => `${Number(wad / 10n ** 12n) / 10_000}%`;
const WAD = 10n ** 18n;

/** Most datanets listed one per line; the rest are counted. */
const DATANET_ROWS = 20;

export default async function statusAction(_args: unknown, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre);
    const s = await client.status();
    const i = s.inference;
    const line = (label: string, value: string) => console.log(`  ${label.padEnd(24)} ${value}`);

    console.log(`OpenLedger protocol on "${s.network}" (chain ${s.chainId}) at block ${s.block}`);
    console.log(`deployed at block ${s.deployBlock}; treasury and owner of every parameter: ${s.token.treasury}`);

    console.log("\nToken and treasury");
    line("OPEN supply", formatOpen(s.token.totalSupply));
    line("treasury balance", formatOpen(s.token.treasuryBalance));
    line("owed to treasury", `${formatOpen(i.treasuryOwed)} (held by the router until swept)`);

    console.log("\nStaking");
    const k = s.staking;
    line("staked", formatOpen(k.totalStaked, "gOPEN"));
    line("queued for withdrawal", formatOpen(k.totalQueued));
    if (k.frozen.length > 0) {
      line("frozen withdrawals", `${k.frozen.join(", ")} (a proposal to slash them is pending)`);
    }
    line("unstake cooldown", formatDuration(k.cooldown));
    line(
      "stakers' share owed",
      `${formatOpen(i.stakersOwed)} held by the router (\`npx hardhat rewards release\` sends it to gOPEN)`,
    );
    const streaming = (k.stream.ratePerSecond * (k.stream.periodEnd > s.time ? k.stream.periodEnd - s.time : 0n)) / WAD;
    line(
      "reward stream",
      (k.stream.ratePerSecond === 0n
        ? `nothing streams until ${formatTime(k.stream.periodEnd)}; `
        : `${formatOpen(streaming)} left to stream until ${formatTime(k.stream.periodEnd)} ` +
          `(${formatOpen((k.stream.ratePerSecond * 3_600n) / WAD)} per hour); `) +
        `${formatOpen(k.stream.queued)} queued for the next ${formatDuration(k.rewardPeriod)} period`,
    );
    if (k.dustScaled >= WAD) line("rounding dust", `${formatOpen(k.dustScaled / WAD)} (anyone may sweepDust)`);

    console.log("\nGovernance");
    line(
      "voting delay / period",
      `${formatDuration(s.governance.votingDelay)} / ${formatDuration(s.governance.votingPeriod)}`,
    );
    line("quorum", `${s.governance.quorumPercent}% of gOPEN supply`);
    line("proposal threshold", formatOpen(s.governance.proposalThreshold, "gOPEN"));
    line("timelock delay", formatDuration(s.governance.timelockDelay));

    console.log(`\nDatanets: ${s.datanets.count}, with ${s.datanets.contributions} contributions in all`);
    if (s.datanets.list.length > 0) {
      const rows = s.datanets.list
        .slice(-DATANET_ROWS)
        .map((d) => [
          String(d.id),
          d.owner,
          d.open ? "open" : "closed",
          String(d.contributions),
          String(d.accepted),
          String(d.versions),
          formatOpen(d.bond),
        ]);
      const header = ["id", "owner", "", "contributions", "accepted", "versions", "bond"];
      console.log(table(header, rows, ["r", "l", "l", "r", "r", "r", "r"]).replace(/^/gm, "  "));
      const hidden = s.datanets.list.length - rows.length;
      if (hidden > 0) console.log(`  (${hidden} older datanets not listed; see npx hardhat datanet show <id>)`);
    }

    const states = [...s.models.byState].filter(([, n]) => n > 0n).map(([name, n]) => `${n} ${name}`);
    console.log(`\nModels: ${s.models.count}${states.length > 0 ? ` (${states.join(", ")})` : ""}`);

    console.log("\nPauses (the guardian pauses; only governance unpauses; claims and withdrawals never stop)");
    const pause = (label: string, p: PauseState, stops: string) =>
      line(
        label,
        p.paused
          ? `PAUSED: ${stops} stopped; its active clock stands still at ${formatTime(p.activeTime)}`
          : `running${p.pausedSeconds > 0n ? ` (paused ${formatDuration(p.pausedSeconds)} in all before)` : ""}`,
      );
    pause("staking", s.pauses.stakedOpen, "new stakes");
    pause("datanets", s.pauses.datanetRegistry, "contributions");
    pause("models", s.pauses.modelRegistry, "proposals");
    pause("inference", s.pauses.inferenceRouter, "payments and settlement");
    if (s.pauses.inferenceRouter.pausedSeconds > 0n || i.paused) {
      line("", "attribution windows run on the router's active clock: a pause never makes one close");
    }

    console.log(`\nInference${i.paused ? " (PAUSED: payments and settlement stopped)" : ""}`);
    line("inferences paid", String(i.count));
    line("platform fee", `${formatOpen(i.platformFee)} per inference`);
    line(
      "split of the model fee",
      `creator ${percent(i.split.creatorBps)}, stakers ${percent(i.split.stakersBps)}, contributors ${percent(i.split.contributorsBps)}`,
    );
    line(
      "attribution",
      `threshold ${wadPercent(i.attributionThreshold)}, window ${formatDuration(i.attributionWindow)}`,
    );
    line("oracle", `${i.oracle.threshold} of ${i.oracle.signers} signers`);
    line(
      "pending pools",
      `${formatOpen(i.pending.pools)} in ${i.pending.count} inference${i.pending.count === 1 ? "" : "s"}` +
        (i.pending.expirable > 0
          ? `; ${i.pending.expirable} past the window (${formatOpen(i.pending.expirablePools)}, \`npx hardhat attribution expire <inference>\`)`
          : ""),
    );
    line("unclaimed credits", formatOpen(i.unclaimedCredits));
    line(
      "router holds",
      `${formatOpen(i.routerBalance)} = credits + pending pools + owed to treasury + stakers' share owed`,
    );
  });
}
