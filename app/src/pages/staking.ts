/** Staking: the position, stake (by permit), delegate, unstake, withdraw and claim rewards. */
import { formatDuration, formatOpen, formatTime, parseAddress, parseOpen } from "../../../sdk/index.js";
import { label, type Page } from "../app.js";
import { actionButton, actionForm, field, h, value } from "../ui.js";

export const stakingPage: Page = {
  path: "staking",
  title: "Staking",
  async render(app) {
    const account = app.wallet.account;
    if (account === undefined) return h("p", { class: "empty" }, "Connect a wallet to stake.");
    const p = await app.wallet.reader.staking.position(account);
    const entry = (name: string, key: string, text: string) => [
      h("dt", {}, name),
      h("dd", { "data-position": key }, text),
    ];
    return h(
      "div",
      {},
      h(
        "dl",
        { id: "position" },
        ...entry("OPEN", "open", formatOpen(p.open)),
        ...entry("Staked", "staked", formatOpen(p.staked, "gOPEN")),
        ...entry("Votes", "votes", formatOpen(p.votes, "votes")),
        ...entry("Delegate", "delegatee", BigInt(p.delegatee) === 0n ? "nobody yet" : label(app, p.delegatee)),
        ...entry("Rewards earned", "earned", formatOpen(p.earned)),
        ...entry(
          "Queued withdrawal",
          "queued",
          p.queued === 0n ? "none" : `${formatOpen(p.queued)}, released ${formatTime(p.releaseTime)}`,
        ),
        ...entry("Unstake cooldown", "cooldown", formatDuration(p.cooldown)),
      ),
      h("h2", {}, "Stake"),
      actionForm(
        app.activity,
        { id: "stake" },
        [field("Amount to stake (OPEN)", "amount", { inputmode: "decimal" }), h("button", { type: "submit" }, "Stake")],
        async (form, progress) => {
          const amount = parseOpen(value(form, "amount"), "the amount to stake");
          const client = await app.wallet.signing(progress);
          const done = await client.staking.stake(amount);
          return (
            `Staked ${formatOpen(amount)}${done.usedPermit ? " (approved by permit in the same transaction)" : ""}; ` +
            `you hold ${formatOpen(done.staked, "gOPEN")}${done.delegated ? "" : ": delegate to vote with it"}.`
          );
        },
      ),
      h("h2", {}, "Delegate"),
      actionForm(
        app.activity,
        { id: "delegate" },
        [
          field("Delegate votes to (address)", "delegatee", { value: account }),
          h("button", { type: "submit" }, "Delegate"),
        ],
        async (form, progress) => {
          const delegatee = parseAddress(value(form, "delegatee"), "the delegatee");
          const client = await app.wallet.signing(progress);
          const { votes } = await client.staking.delegate(delegatee);
          return `Delegated to ${label(app, delegatee)}, who now has ${formatOpen(votes, "votes")}.`;
        },
      ),
      h("h2", {}, "Unstake"),
      actionForm(
        app.activity,
        { id: "unstake" },
        [
          field("Amount to unstake (gOPEN)", "amount", { inputmode: "decimal" }),
          h("button", { type: "submit" }, "Request unstake"),
        ],
        async (form, progress) => {
          const amount = parseOpen(value(form, "amount"), "the amount to unstake");
          const client = await app.wallet.signing(progress);
          const done = await client.staking.requestUnstake(amount);
          return `${formatOpen(done.queued)} queued, released ${formatTime(done.releaseTime)}.`;
        },
      ),
      h(
        "p",
        { class: "actions" },
        actionButton(app.activity, "Withdraw", async (progress) => {
          const client = await app.wallet.signing(progress);
          const { amount } = await client.staking.withdraw();
          return `Withdrew ${formatOpen(amount)}.`;
        }),
        actionButton(app.activity, "Claim staking rewards", async (progress) => {
          const client = await app.wallet.signing(progress);
          const { amount } = await client.staking.claimRewards();
          return `Claimed ${formatOpen(amount)} of staking rewards.`;
        }),
      ),
    );
  },
};
