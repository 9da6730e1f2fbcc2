/**
 * The `status` task's reader (tasks/lib/status.ts) on the in-process network: every figure it shows is
 * checked against the contracts, and the router's holdings split exactly into credits, pending pools
 * and the treasury's due.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { signReport } from "../../sdk/eip712.js";
import { bindContracts } from "../../tasks/lib/context.js";
import { LOG_QUERY_SPAN } from "../../tasks/lib/events.js";
import { readStatus } from "../../tasks/lib/status.js";
import { TEST_INFERENCE_PARAMS, TEST_PARAMS, TEST_REGISTRY_PARAMS, type Connection } from "../fixtures/protocol.js";
import { defined } from "../helpers/constants.js";
import {
  ALICE_STAKE,
  CONTRIBUTION,
  MODEL,
  PERCENT,
  inferenceFixture,
  report,
  requestId,
} from "../helpers/inference.js";

const connection = await network.create();
const { networkHelpers } = connection;
const { time } = networkHelpers;

/**
 * inferenceFixture plus four inferences: 1 settled, 2 expired, 3 pending past its window, 4 pending in its
 * window. Then more than one LOG_QUERY_SPAN of empty blocks, so the events are read in several spans.
 */
async function statusFixture(conn: Connection) {
  const f = await inferenceFixture(conn);
  const pay = (label: string) =>
    f.inferenceRouter.connect(f.payer).payInference(MODEL.datanet1, 2_000n, 1_000n, requestId(label), 10n ** 18n);
  await pay("settled");
  await pay("expired");
  await pay("stale");
  const r = report(1n, [CONTRIBUTION.dave, CONTRIBUTION.erin], [50n * PERCENT, 50n * PERCENT]);
  const oracle = [defined(f.oracleSigners[0], "signer 0"), defined(f.oracleSigners[1], "signer 1")];
  await f.inferenceRouter.settle(r, await signReport(f.domain, r, oracle));
  await time.increase(TEST_INFERENCE_PARAMS.attributionWindow + 1n);
  await f.inferenceRouter.expire(2n);
  await pay("fresh");
  await networkHelpers.mine(LOG_QUERY_SPAN + 5);
  return f;
}

describe("status (tasks/lib/status.ts)", () => {
  it("shows the parameters, stake, datanets, models by state, pending pools and the treasury", async () => {
    const f = await networkHelpers.loadFixture(statusFixture);
    const ctx = bindContracts(connection, f.deployment, f.deployer);
    const s = await readStatus(ctx);

    expect(s.chainId).to.equal(f.deployment.chainId);
    expect(s.block).to.be.greaterThan(s.deployBlock + LOG_QUERY_SPAN);
    expect(s.token.totalSupply).to.equal(10n ** 27n);
    expect(s.token.treasury).to.equal(f.treasury);
    expect(s.token.treasuryBalance).to.equal(await f.openToken.balanceOf(f.treasury));

    expect(s.staking).to.deep.equal({
      totalStaked: ALICE_STAKE,
      totalQueued: 0n,
      cooldown: TEST_PARAMS.unstakeCooldown,
      routerIsNotifier: true,
    });
    expect(s.governance).to.deep.equal({
      votingDelay: TEST_PARAMS.votingDelay,
      votingPeriod: TEST_PARAMS.votingPeriod,
      quorumPercent: TEST_PARAMS.quorumPercent,
      proposalThreshold: TEST_PARAMS.proposalThreshold,
      timelockDelay: TEST_PARAMS.timelockMinDelay,
    });

    expect(s.datanets.count).to.equal(2n);
    expect(s.datanets.contributions).to.equal(8n);
    expect(s.datanets.list.map((d) => [d.id, d.contributions, d.accepted, d.versions])).to.deep.equal([
      [1n, 7n, 5n, 0n], // accepted so far: the penalized one included
      [2n, 1n, 1n, 0n],
    ]);
    expect(defined(s.datanets.list[0], "datanet 1").owner).to.equal(f.bob.address);
    expect(defined(s.datanets.list[0], "datanet 1").bond).to.equal(TEST_REGISTRY_PARAMS.minContributionBond);

    expect(s.models.count).to.equal(3n);
    expect(s.models.byState.get("Active")).to.equal(2n);
    expect(s.models.byState.get("Proposed")).to.equal(1n);
    expect([...s.models.byState.values()].reduce((a, b) => a + b, 0n)).to.equal(3n);

    const i = s.inference;
    expect(i.count).to.equal(4n);
    expect(i.paused).to.equal(false);
    expect(i.platformFee).to.equal(TEST_INFERENCE_PARAMS.platformFee);
    expect(i.split).to.deep.equal({ creatorBps: 4_000n, stakersBps: 2_000n, contributorsBps: 4_000n });
    expect(i.oracle).to.deep.equal({ signers: 3n, threshold: 2n });
    const stale = (await f.inferenceRouter.getInference(3n)).pool;
    const fresh = (await f.inferenceRouter.getInference(4n)).pool;
    expect(i.pending).to.deep.equal({ count: 2, pools: stale + fresh, expirable: 1, expirablePools: stale });
    expect(i.treasuryOwed).to.equal(await f.inferenceRouter.treasuryOwed());

    // The derived credits are exactly what the creator and contributors can claim.
    let credits = 0n;
    for (const account of [f.carol, f.dave, f.erin, f.frank, f.grace, f.heidi]) {
      credits += await f.inferenceRouter.creditOf(account);
    }
    expect(i.unclaimedCredits).to.equal(credits);
    expect(i.routerBalance).to.equal(i.unclaimedCredits + i.pending.pools + i.treasuryOwed);
    expect(i.routerBalance).to.equal(await f.openToken.balanceOf(f.inferenceRouter));
  });
});
