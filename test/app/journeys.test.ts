/**
 * The web app in a real browser (Debian's headless Chromium, playwright-core), against the built app, a real
 * `hardhat node` and (when the checkout has one) the indexer, with a test wallet signing with local keys. Each
 * journey acts through the pages as a person would, and checks the chain through the SDK afterwards; the
 * screenshots of the README are taken on the way.
 */
import path from "node:path";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import { countTokens } from "../../attribution/index.js";
import { clientError } from "../../sdk/core/client-errors.js";
import { formatOpen, formatTime } from "../../sdk/core/format.js";
import { Lists } from "../../app/src/lists.js";
import { createClient } from "../../sdk/client/index.js";
import { indexerCaughtUp } from "../../scripts/lib/indexer.js";
import { AppHarness, IMAGES, outcome, reload, statusHistory, visit, type ActorPage } from "./harness.js";

const OPEN = 10n ** 18n;
const shot = (name: string) => ({ path: path.join(IMAGES, `${name}.png`), fullPage: true });

describe("web app in a browser", function () {
  this.timeout(10 * 60_000);
  let harness: AppHarness;
  const pages: ActorPage[] = [];

  before(async function () {
    harness = await AppHarness.start("app-e2e");
  });

  after(async function () {
    for (const p of pages) await p.context.close();
    await harness?.stop();
  });

  async function open(...args: Parameters<AppHarness["open"]>): Promise<ActorPage> {
    const opened = await harness.open(...args);
    pages.push(opened);
    return opened;
  }

  it("a payer quotes from token counts and from texts, and pays by permit", async function () {
    const { page } = await open("grace", "inference");
    const { modelId } = harness.world;
    const sdk = harness.client("grace");
    await page.getByLabel("Input tokens").fill("2000");
    await page.getByLabel("Output tokens").fill("1000");
    const quoted = await outcome(page, () => page.getByRole("button", { name: "Quote" }).click());
    const quote = await sdk.inference.quote(modelId, 2_000n, 1_000n);
    expect(quoted).to.deep.equal({
      state: "done",
      text: `Quoted ${formatOpen(quote.fee)} for 2000 input and 1000 output tokens on model #${modelId}.`,
    });
    expect(await page.locator("#quote").textContent()).to.include(formatOpen(quote.pool));

    const prompt = "Is a contract signed under duress voidable?";
    const answer = "Yes: a contract signed under duress is voidable at the option of the coerced party.";
    await page.getByLabel("Prompt").fill(prompt);
    await page.getByLabel("Answer").fill(answer);
    const fromText = await outcome(page, () => page.getByRole("button", { name: "Quote" }).click());
    expect(fromText.text).to.include(`for ${countTokens(prompt)} input and ${countTokens(answer)} output tokens`);
    await page.getByLabel("Prompt").fill("");
    await page.getByLabel("Answer").fill("");
    expect(await page.getByLabel("Input tokens").inputValue()).to.equal("2000");

    const before = await sdk.inference.paidIds();
    const balance = (await sdk.token.balances()).open;
    const paid = await outcome(page, () => page.getByRole("button", { name: "Pay" }).click());
    expect(paid.state, paid.text).to.equal("done");
    expect(paid.text).to.match(new RegExp(`^Paid ${formatOpen(quote.fee)} for inference .+ on model #${modelId}`));
    expect(paid.text).to.include("approved by permit in the same transaction");
    // The pending payment showed its progress: the permit, the transaction, sent, mined.
    const shown = await statusHistory(page);
    expect(shown.slice(0, 3)).to.deep.equal([
      "Checking…",
      "Sign the permit in your wallet…",
      "Confirm the transaction in your wallet…",
    ]);
    expect(shown[3]).to.match(/^Transaction 0x[0-9a-f]{4}…[0-9a-f]{4} sent; waiting for it to be mined…$/);
    expect(shown[4]).to.match(/^Transaction 0x[0-9a-f]{4}…[0-9a-f]{4} mined in block \d+; reading the result…$/);
    expect(shown.at(-1)).to.equal(paid.text);
    const after = await sdk.inference.paidIds();
    expect(after.length).to.equal(before.length + 1);
    const inferenceId = after.at(-1) as bigint;
    expect(await page.locator(`[data-inference="${inferenceId}"]`).textContent()).to.equal("Pending");
    expect((await sdk.token.balances()).open).to.equal(balance - quote.fee);
    await page.screenshot(shot("app-inference"));
  });

  it("a contributor contributes a file hashed in the browser, and after review and an attributed inference claims the earnings", async function () {
    const { datanetId, modelId } = harness.world;
    const dave = await open("dave", `datanets/${datanetId}`);
    const text = "Hadley v. Baxendale (1854): damages for breach of contract are those arising naturally from it.";
    const bytes = Buffer.from(text, "utf8");
    await dave.page
      .locator("#contribution-file")
      .setInputFiles({ name: "hadley.txt", mimeType: "text/plain", buffer: bytes });
    await dave.page.getByText(`content hash ${keccak256(bytes)}`).waitFor();
    await dave.page.getByLabel("URI (where the file can be fetched)").fill("ipfs://demo/hadley");
    const contributed = await outcome(dave.page, () => dave.page.getByRole("button", { name: /^Contribute/ }).click());
    expect(contributed.state, contributed.text).to.equal("done");
    expect(contributed.text).to.include("approved by permit in the same transaction");
    const sdk = harness.client("dave");
    const contributionId = await sdk.contracts.datanetRegistry.contributionByHash(datanetId, keccak256(bytes));
    expect(contributed.text).to.include(`Contribution #${contributionId} submitted with a bond of 10 OPEN`);
    expect(await dave.page.locator(`[data-contribution-status="${contributionId}"]`).textContent()).to.equal("Pending");
    await dave.page.screenshot(shot("app-datanets"));

    const carol = await open("carol", `datanets/${datanetId}`);
    const accepted = await outcome(carol.page, () =>
      carol.page.locator(`button[data-contribution="${contributionId}"]`, { hasText: "Accept" }).click(),
    );
    expect(accepted).to.deep.equal({
      state: "done",
      text: `Contribution #${contributionId} accepted: its bond is refundable.`,
    });
    expect((await sdk.contracts.datanetRegistry.getContribution(contributionId)).status).to.equal(2n);

    // An inference attributed wholly to the new contribution, paid and settled through the SDK (the oracle's part).
    const payer = harness.client("grace");
    const { inferenceId } = await payer.inference.pay(modelId, 3_000n, 1_500n);
    const deadline = (await payer.context.now()) + 3_600n;
    const report = {
      inferenceId,
      outputHash: keccak256(toUtf8Bytes("damages arising naturally from the breach")),
      indexCommitment: keccak256(toUtf8Bytes("app test index")),
      contributionIds: [contributionId],
      weights: [OPEN],
      deadline,
    };
    const oracle = [
      harness.client("oracleOne").context.requireSigner(),
      harness.client("oracleThree").context.requireSigner(),
    ];
    await payer.attribution.push(await payer.attribution.sign([report], oracle));
    const credited = (await payer.inference.inference(inferenceId)).settlement?.amounts[0] ?? 0n;
    expect(credited > 0n).to.equal(true);

    await visit(dave.page, "earnings");
    await reload(dave.page);
    expect(await dave.page.locator(`[data-earning="${contributionId}"]`).textContent()).to.equal(formatOpen(credited));
    const owed = await sdk.contracts.inferenceRouter.creditOf(harness.address("dave"));
    expect(await dave.page.locator('[data-claimable="credits"]').textContent()).to.equal(formatOpen(owed));
    await dave.page.screenshot(shot("app-earnings"));
    const balance = (await sdk.token.balances()).open;
    const claimed = await outcome(dave.page, () =>
      dave.page.getByRole("button", { name: "Claim inference earnings" }).click(),
    );
    expect(claimed).to.deep.equal({ state: "done", text: `Claimed ${formatOpen(owed)} of inference earnings.` });
    expect((await sdk.token.balances()).open).to.equal(balance + owed);
    expect(await dave.page.locator('[data-claimable="credits"]').textContent()).to.equal("0 OPEN");
  });

  it("a curator rejects a contribution, and its bond goes to the treasury", async function () {
    const { datanetId, contributionIds } = harness.world;
    const pending = contributionIds[2] as bigint;
    const carol = await open("carol", `datanets/${datanetId}`);
    const rejected = await outcome(carol.page, () =>
      carol.page.locator(`button[data-contribution="${pending}"]`, { hasText: "Reject" }).click(),
    );
    expect(rejected).to.deep.equal({
      state: "done",
      text: `Contribution #${pending} rejected: its 10 OPEN bond goes to the treasury.`,
    });
    expect(await carol.page.locator(`[data-contribution-status="${pending}"]`).textContent()).to.equal("Rejected");
    expect((await harness.client("carol").contracts.datanetRegistry.getContribution(pending)).status).to.equal(3n);

    // The curator then publishes a version of what was accepted.
    const published = await outcome(carol.page, () =>
      carol.page.getByRole("button", { name: "Publish a version" }).click(),
    );
    const d = await harness.client("carol").datanets.datanet(datanetId);
    const version = d.versions.at(-1);
    expect(published).to.deep.equal({
      state: "done",
      text: `Version ${version?.version} published: ${d.acceptedCount} accepted contributions, Merkle root ${version?.merkleRoot}.`,
    });
  });

  it("a staker stakes by permit, delegates, votes a proposal through execution, claims rewards, unstakes and withdraws", async function () {
    const heidi = await open("heidi", "staking");
    const sdk = harness.client("heidi");
    await heidi.page.getByLabel("Amount to stake (OPEN)").fill("10000");
    const staked = await outcome(heidi.page, () =>
      heidi.page.getByRole("button", { name: "Stake", exact: true }).click(),
    );
    expect(staked.state, staked.text).to.equal("done");
    expect(staked.text).to.equal(
      "Staked 10,000 OPEN (approved by permit in the same transaction); you hold 10,000 gOPEN: delegate to vote with it.",
    );
    const delegated = await outcome(heidi.page, () =>
      heidi.page.getByRole("button", { name: "Delegate", exact: true }).click(),
    );
    expect(delegated.state, delegated.text).to.equal("done");
    expect((await sdk.staking.position()).votes).to.equal(10_000n * OPEN);
    expect(await heidi.page.locator('[data-position="votes"]').textContent()).to.equal("10,000 votes");
    await heidi.page.screenshot(shot("app-staking"));

    const alice = harness.client("alice");
    const filed = await alice.governance.propose(
      [alice.governance.buildAction("stakedOpen", "setCooldown", [7_200])],
      "Raise the unstake cooldown to two hours",
    );
    const id = String(filed.proposalId);
    await harness.increaseTo(filed.voteStart + 1n);
    await visit(heidi.page, "governance");
    await reload(heidi.page);
    const voted = await outcome(heidi.page, () =>
      heidi.page.locator(`button[data-proposal="${id}"]`, { hasText: "Vote for" }).click(),
    );
    expect(voted.state, voted.text).to.equal("done");
    expect(voted.text).to.match(/^Voted for on proposal .+ with 10,000 votes\.$/);
    await harness.increaseTo(filed.voteEnd + 1n);
    await reload(heidi.page);
    expect(await heidi.page.locator(`[data-proposal-state="${id}"]`).textContent()).to.equal("Succeeded");
    const queued = await outcome(heidi.page, () =>
      heidi.page.locator(`button[data-proposal="${id}"]`, { hasText: "Queue" }).click(),
    );
    expect(queued.state, queued.text).to.equal("done");
    await harness.increaseTo((await alice.governance.proposal(filed.proposalId)).eta);
    await reload(heidi.page);
    const executed = await outcome(heidi.page, () =>
      heidi.page.locator(`button[data-proposal="${id}"]`, { hasText: "Execute" }).click(),
    );
    expect(executed.state, executed.text).to.equal("done");
    expect(await heidi.page.locator(`[data-proposal-state="${id}"]`).textContent()).to.equal("Executed");
    expect(await sdk.contracts.stakedOpen.cooldown()).to.equal(7_200n);
    await heidi.page.screenshot(shot("app-governance"));

    // Rewards: the stakers' share of the paid inferences streams to gOPEN; then unstake, and withdraw after the
    // cooldown the proposal set.
    const released = await harness.client("foundation").inference.releaseStakerRewards();
    await harness.increaseTo(released.streamEnd);
    await visit(heidi.page, "staking");
    await reload(heidi.page);
    const earned = (await sdk.staking.position()).earned;
    expect(earned > 0n).to.equal(true);
    expect(await heidi.page.locator('[data-position="earned"]').textContent()).to.equal(formatOpen(earned));
    const rewards = await outcome(heidi.page, () =>
      heidi.page.getByRole("button", { name: "Claim staking rewards" }).click(),
    );
    expect(rewards).to.deep.equal({ state: "done", text: `Claimed ${formatOpen(earned)} of staking rewards.` });
    await heidi.page.getByLabel("Amount to unstake (gOPEN)").fill("1000");
    const unstaked = await outcome(heidi.page, () =>
      heidi.page.getByRole("button", { name: "Request unstake" }).click(),
    );
    const pending = await sdk.contracts.stakedOpen.pendingWithdrawal(harness.address("heidi"));
    expect(unstaked).to.deep.equal({
      state: "done",
      text: `${formatOpen(1_000n * OPEN)} queued, released ${formatTime(pending.releaseTime)}.`,
    });
    const early = await outcome(heidi.page, () => heidi.page.getByRole("button", { name: "Withdraw" }).click());
    const cooldown = clientError("CooldownActive", {
      account: harness.address("heidi"),
      amount: 1_000n * OPEN,
      releaseTime: pending.releaseTime,
    });
    expect(early).to.deep.equal({ state: "refused", text: cooldown.message });
    await harness.increaseTo(pending.releaseTime);
    const held = (await sdk.token.balances()).open;
    const withdrawn = await outcome(heidi.page, () => heidi.page.getByRole("button", { name: "Withdraw" }).click());
    expect(withdrawn).to.deep.equal({ state: "done", text: `Withdrew ${formatOpen(1_000n * OPEN)}.` });
    expect((await sdk.token.balances()).open).to.equal(held + 1_000n * OPEN);
  });

  it("a creator proposes a model, governance approves it, and the creator registers its artifact and activates it", async function () {
    const alice = await open("alice", "models");
    const sdk = harness.client("alice");
    const { datanetId } = harness.world;
    await alice.page.getByLabel("Metadata URI").fill("ipfs://demo/contracts-assistant.json");
    await alice.page.getByLabel("Datanets it is trained on (ids, comma-separated)").fill(String(datanetId));
    const proposed = await outcome(alice.page, () =>
      alice.page.getByRole("button", { name: "Propose model and file its approval" }).click(),
    );
    expect(proposed.state, proposed.text).to.equal("done");
    const modelId = await sdk.contracts.modelRegistry.modelCount();
    expect(proposed.text).to.match(
      new RegExp(`^Model #${modelId} proposed with a bond of 1,000 OPEN; approval proposal .+ filed\\.$`),
    );
    expect(await alice.page.locator(`[data-model-state="${modelId}"]`).textContent()).to.equal("Proposed");
    const proposal = await sdk.governance.proposal(await sdk.models.approvalProposalId(modelId));
    const id = String(proposal.proposalId);

    await harness.increaseTo(proposal.voteStart + 1n);
    await visit(alice.page, "governance");
    await reload(alice.page);
    const vote = await outcome(alice.page, () =>
      alice.page.locator(`button[data-proposal="${id}"]`, { hasText: "Vote for" }).click(),
    );
    expect(vote.state, vote.text).to.equal("done");
    await harness.increaseTo(proposal.voteEnd + 1n);
    await reload(alice.page);
    const queued = await outcome(alice.page, () =>
      alice.page.locator(`button[data-proposal="${id}"]`, { hasText: "Queue" }).click(),
    );
    expect(queued.state, queued.text).to.equal("done");
    await harness.increaseTo((await sdk.governance.proposal(proposal.proposalId)).eta);
    await reload(alice.page);
    const executed = await outcome(alice.page, () =>
      alice.page.locator(`button[data-proposal="${id}"]`, { hasText: "Execute" }).click(),
    );
    expect(executed.state, executed.text).to.equal("done");

    await visit(alice.page, "models");
    expect(await alice.page.locator(`[data-model-state="${modelId}"]`).textContent()).to.equal("Approved");
    const weights = Buffer.from("contracts-assistant LoRA weights", "utf8");
    const form = alice.page.locator(`form[data-model="${modelId}"]`);
    await form
      .locator('input[name="artifact"]')
      .setInputFiles({ name: "weights.bin", mimeType: "application/octet-stream", buffer: weights });
    const registered = await outcome(alice.page, () => form.getByRole("button", { name: "Register artifact" }).click());
    expect(registered).to.deep.equal({
      state: "done",
      text: `Model #${modelId} is Trained: artifact ${keccak256(weights)} registered; activate it to take inference.`,
    });
    const activated = await outcome(alice.page, () =>
      alice.page.locator(`button[data-model="${modelId}"]`, { hasText: "Activate" }).click(),
    );
    expect(activated).to.deep.equal({ state: "done", text: `Model #${modelId} is Active: it takes inference.` });
    expect((await sdk.models.model(modelId)).state).to.equal("Active");
    expect(await alice.page.locator(`[data-model-state="${modelId}"]`).textContent()).to.equal("Active");
    await alice.page.screenshot(shot("app-models"));
  });

  it("bad input shows one sentence and sends nothing: an amount above the balance, typos, a declined permit, a wrong network", async function () {
    const grace = await open("grace", "staking");
    const block = await harness.node.block();
    const { open: balance } = await harness.client("grace").token.balances();
    await grace.page.getByLabel("Amount to stake (OPEN)").fill("5000");
    const above = await outcome(grace.page, () =>
      grace.page.getByRole("button", { name: "Stake", exact: true }).click(),
    );
    const expected = clientError("InsufficientBalance", {
      account: harness.address("grace"),
      balance,
      needed: 5_000n * OPEN,
      what: "to stake",
    });
    expect(above).to.deep.equal({ state: "refused", text: expected.message });
    await grace.page.getByLabel("Amount to stake (OPEN)").fill("12,5");
    const typo = await outcome(grace.page, () =>
      grace.page.getByRole("button", { name: "Stake", exact: true }).click(),
    );
    expect(typo).to.deep.equal({
      state: "refused",
      text: 'The amount to stake must be a number of OPEN such as 100 or 12.5, not "12,5".',
    });

    await grace.page.getByLabel("Delegate votes to (address)").fill("0x1234");
    const address = await outcome(grace.page, () =>
      grace.page.getByRole("button", { name: "Delegate", exact: true }).click(),
    );
    expect(address).to.deep.equal({
      state: "refused",
      text: 'The delegatee must be an address (0x and 40 hex digits), not "0x1234".',
    });

    // The person declines the permit in the wallet: the app says so, and nothing is sent.
    grace.wallet.declines = true;
    await grace.page.getByLabel("Amount to stake (OPEN)").fill("1");
    const declined = await outcome(grace.page, () =>
      grace.page.getByRole("button", { name: "Stake", exact: true }).click(),
    );
    expect(declined).to.deep.equal({
      state: "refused",
      text: "The request was declined in the wallet: nothing was sent.",
    });

    const wrong = await open("heidi", "staking", 11_155_111);
    const warning = clientError("WrongNetwork", {
      chainId: 11_155_111n,
      expectedChainId: BigInt(harness.node.deployment.chainId),
    }).message;
    expect(await wrong.page.locator(".wrong-network").textContent()).to.equal(warning);
    await wrong.page.getByLabel("Amount to stake (OPEN)").fill("1");
    const refused = await outcome(wrong.page, () =>
      wrong.page.getByRole("button", { name: "Stake", exact: true }).click(),
    );
    expect(refused).to.deep.equal({ state: "refused", text: warning });
    await wrong.page.screenshot(shot("app-wrong-network"));

    expect(grace.wallet.sent).to.deep.equal([]);
    expect(wrong.wallet.sent).to.deep.equal([]);
    expect(await harness.node.block()).to.equal(block);

    // The app asks the wallet to switch; on the right chain the same stake goes through.
    const switching = await outcome(wrong.page, () =>
      wrong.page.getByRole("button", { name: "Switch network" }).click(),
    );
    expect(switching).to.deep.equal({
      state: "done",
      text: `The wallet is on chain ${harness.node.deployment.chainId} now.`,
    });
    expect(await wrong.page.locator(".wrong-network").count()).to.equal(0);
    await wrong.page.getByLabel("Amount to stake (OPEN)").fill("1");
    const switched = await outcome(wrong.page, () =>
      wrong.page.getByRole("button", { name: "Stake", exact: true }).click(),
    );
    expect(switched.state, switched.text).to.equal("done");
    expect(wrong.wallet.sent).to.have.length(1);
  });

  it("lists the same rows from the indexer as from the chain, or from the chain when no indexer runs", async function () {
    const { page } = await open("dave", "datanets");
    const footer = (await page.locator("footer").textContent()) ?? "";
    const reader = harness.client("dave");
    const chain = new Lists(reader);
    const url = harness.indexerUrl;
    if (url === undefined) {
      expect(footer).to.include("lists from the chain (through the SDK)");
      expect((await chain.datanets()).map((d) => d.datanetId)).to.deep.equal([harness.world.datanetId]);
      return;
    }
    expect(footer).to.include(`lists from the indexer at ${url}`);
    expect(await indexerCaughtUp(url, harness.node.url), "the indexer caught up with the node").to.equal(true);
    const fallbacks: string[] = [];
    const indexer = new Lists(
      createClient({
        deployment: reader.deployment,
        provider: reader.context.provider,
        indexer: { url, onFallback: (reason) => fallbacks.push(reason) },
      }),
    );
    const curatorsSorted = (rows: Awaited<ReturnType<Lists["datanets"]>>) =>
      rows.map((d) => ({ ...d, curators: [d.curators[0], ...d.curators.slice(1).sort()] }));
    expect(curatorsSorted(await indexer.datanets())).to.deep.equal(curatorsSorted(await chain.datanets()));
    const { datanetId } = harness.world;
    expect(await indexer.contributions(datanetId)).to.deep.equal(await chain.contributions(datanetId));
    expect(await indexer.models()).to.deep.equal(await chain.models());
    expect(await indexer.proposals()).to.deep.equal(await chain.proposals());
    for (const actor of ["dave", "erin", "frank"] as const) {
      const account = harness.address(actor);
      expect(await indexer.earnings(account)).to.deep.equal(await chain.earnings(account));
    }
    const grace = harness.address("grace");
    expect(await indexer.inferences(grace)).to.deep.equal(await chain.inferences(grace));
    expect(fallbacks, "lists read from the chain instead of the indexer").to.deep.equal([]);
    // And the pages of every journey read their lists from the indexer (a fallback logs a warning).
    expect(pages.flatMap((p) => p.console)).to.deep.equal([]);
  });
});
