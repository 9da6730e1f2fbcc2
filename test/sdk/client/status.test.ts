/**
 * The client's status (sdk/client/status.ts, what the `status` task prints) and conservation laws
 * (sdk/client/ledger.ts) on the in-process network: every figure it shows is checked against the contracts, the
 * router's holdings split exactly into credits, pending pools, the treasury's due and the stakers' share not yet
 * released, and every law holds to the wei.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { createClient } from "../../../sdk/client/index.js";
import { signReport } from "../../../sdk/core/eip712.js";
import { LOG_QUERY_SPAN } from "../../../sdk/core/events.js";
import { TEST_INFERENCE_PARAMS, TEST_PARAMS, TEST_REGISTRY_PARAMS, type Connection } from "../../fixtures/protocol.js";
import { defined } from "../../helpers/constants.js";
import { ALICE_STAKE, CONTRIBUTION, PERCENT, clientSuite, refusal, report } from "./suite.js";

const connection = await network.create();
const { networkHelpers } = connection;
const { time } = networkHelpers;
const QUEUED = 10n ** 19n; // 10 OPEN

/**
 * clientSuite plus four inferences: one settled, one expired, one pending past its window, one pending in its
 * window; alice queues 10 OPEN for withdrawal and governance freezes it; the guardian pauses contributions.
 * Then more than one LOG_QUERY_SPAN of empty blocks, so the events are read in several spans.
 */
async function statusFixture(conn: Connection) {
  const f = await clientSuite(conn);
  const settled = await f.pay("settled");
  const expired = await f.pay("expired");
  const stale = await f.pay("stale");
  const r = report(settled, [CONTRIBUTION.dave, CONTRIBUTION.erin], [50n * PERCENT, 50n * PERCENT]);
  const oracle = [defined(f.oracleSigners[0], "signer 0"), defined(f.oracleSigners[1], "signer 1")];
  await f.inferenceRouter.settle(r, await signReport(f.domain, r, oracle));
  await time.increase(TEST_INFERENCE_PARAMS.attributionWindow + 1n);
  await f.inferenceRouter.expire(expired);
  const fresh = await f.pay("fresh");
  await f.stakedOpen.connect(f.alice).requestUnstake(QUEUED);
  const frozenUntil = BigInt(await time.latest()) + 86_400n;
  await f.stakedOpen.connect(f.governance).freezeWithdrawals(f.alice, frozenUntil);
  await f.datanetRegistry.connect(f.guardian).pause();
  await networkHelpers.mine(LOG_QUERY_SPAN + 5);
  return { ...f, stale, fresh };
}

describe("client status and ledger", () => {
  it("shows the parameters, stake and reward stream, pauses, datanets, models, pending pools and what is owed", async () => {
    const f = await networkHelpers.loadFixture(statusFixture);
    const s = await f.client(f.deployer).status();

    expect(s.chainId).to.equal(f.deployment.chainId);
    expect(s.block).to.be.greaterThan(s.deployBlock + LOG_QUERY_SPAN);
    expect(s.token.totalSupply).to.equal(10n ** 27n);
    expect(s.token.treasury).to.equal(f.treasury);
    expect(s.token.treasuryBalance).to.equal(await f.openToken.balanceOf(f.treasury));

    const [periodEnd, ratePerSecond, queued] = await f.stakedOpen.rewardStream();
    expect(s.staking).to.deep.equal({
      totalStaked: ALICE_STAKE - QUEUED,
      totalQueued: QUEUED,
      frozen: [f.alice.address],
      cooldown: TEST_PARAMS.unstakeCooldown,
      rewardPeriod: TEST_PARAMS.rewardPeriod,
      stream: { periodEnd, ratePerSecond, queued },
      dustScaled: await f.stakedOpen.dustScaled(),
    });
    expect(s.governance).to.deep.equal({
      votingDelay: TEST_PARAMS.votingDelay,
      votingPeriod: TEST_PARAMS.votingPeriod,
      quorumPercent: TEST_PARAMS.quorumPercent,
      proposalThreshold: TEST_PARAMS.proposalThreshold,
      timelockDelay: TEST_PARAMS.timelockMinDelay,
    });
    expect(s.pauses.datanetRegistry.paused).to.equal(true);
    expect(s.pauses.datanetRegistry.activeTime).to.equal(await f.datanetRegistry.activeTime());
    for (const name of ["stakedOpen", "modelRegistry", "inferenceRouter"] as const) {
      expect(s.pauses[name]).to.deep.include({ paused: false, pausedSeconds: 0n });
      expect(s.pauses[name].activeTime).to.equal(s.time);
    }

    expect(s.datanets.count).to.equal(2n);
    expect(s.datanets.contributions).to.equal(7n);
    expect(s.datanets.list.map((d) => [d.id, d.contributions, d.accepted, d.versions])).to.deep.equal([
      [1n, 6n, 4n, 0n], // accepted so far: the penalized one included
      [2n, 1n, 1n, 0n],
    ]);
    expect(defined(s.datanets.list[0], "datanet 1").owner).to.equal(f.bob.address);
    expect(defined(s.datanets.list[0], "datanet 1").bond).to.equal(TEST_REGISTRY_PARAMS.minContributionBond);

    expect(s.models.count).to.equal(3n);
    expect(s.models.byState.get("Active")).to.equal(2n);
    expect(s.models.byState.get("Proposed")).to.equal(1n);

    const i = s.inference;
    expect(i.count).to.equal(4n);
    expect(i.paused).to.equal(false);
    expect(i.platformFee).to.equal(TEST_INFERENCE_PARAMS.platformFee);
    expect(i.split).to.deep.equal({ creatorBps: 4_000n, stakersBps: 2_000n, contributorsBps: 4_000n });
    expect(i.attributionWindow).to.equal(TEST_INFERENCE_PARAMS.attributionWindow);
    expect(i.oracle).to.deep.equal({ signers: 3n, threshold: 2n });
    const stale = (await f.inferenceRouter.getInference(f.stale)).pool;
    const fresh = (await f.inferenceRouter.getInference(f.fresh)).pool;
    expect(i.pending).to.deep.equal({ count: 2, pools: stale + fresh, expirable: 1, expirablePools: stale });
    expect(i.treasuryOwed).to.equal(await f.inferenceRouter.treasuryOwed());
    expect(i.stakersOwed).to.equal(4n * 64n * 10n ** 15n); // 20% of four 0.32 OPEN model fees, not yet released

    // The derived credits are exactly what the creator and contributors can claim.
    let credits = 0n;
    for (const account of [f.carol, f.dave, f.erin, f.frank, f.heidi])
      credits += await f.inferenceRouter.creditOf(account);
    expect(i.unclaimedCredits).to.equal(credits);
    expect(i.routerBalance).to.equal(i.unclaimedCredits + i.pending.pools + i.treasuryOwed + i.stakersOwed);
    expect(i.routerBalance).to.equal(await f.openToken.balanceOf(f.inferenceRouter));
  });

  it("reads the same without a signer, in spans of any size", async () => {
    const f = await networkHelpers.loadFixture(statusFixture);
    const readOnly = createClient({ deployment: f.deployment, provider: connection.ethers.provider, logSpan: 7 });
    const [s, t] = [await readOnly.status(), await f.client(f.deployer).status()];
    expect(s).to.deep.equal(t);
    await refusal(readOnly.staking.position(), "NoSigner");
  });

  it("checks every conservation law on the deployment, each to the wei", async () => {
    const f = await networkHelpers.loadFixture(statusFixture);
    const report = await f.client(f.deployer).ledger.check();
    for (const law of [...report.laws, ...report.fees])
      expect(law.held, `${law.law}: ${law.statement}`).to.equal(law.accounted);
    expect(report.laws.map((l) => l.law)).to.deep.equal([
      "OpenToken",
      "StakedOpen",
      "DatanetRegistry",
      "ModelRegistry",
      "InferenceRouter",
      "stakers' share",
    ]);
    expect(report.fees).to.have.length(4);
    expect(report.holds).to.equal(true);
    const outcomes = await f.client(f.deployer).ledger.inferences();
    expect(outcomes.map((o) => o.status)).to.deep.equal(["Settled", "Expired", "Pending", "Pending"]);
  });
});
