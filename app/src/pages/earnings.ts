/** Earnings: what the account can claim, the credits each inference gave it, and the claims. */
import { formatOpen } from "../../../sdk/index.js";
import type { Page } from "../app.js";
import { actionButton, h, shortHex, table } from "../ui.js";

export const earningsPage: Page = {
  path: "earnings",
  title: "Earnings",
  async render(app) {
    const account = app.wallet.account;
    if (account === undefined) return h("p", { class: "empty" }, "Connect a wallet to see its earnings.");
    const [claimable, rows] = await Promise.all([
      app.wallet.reader.rewards.claimable(account),
      app.lists.earnings(account),
    ]);
    return h(
      "div",
      {},
      h(
        "dl",
        { id: "claimable" },
        h("dt", {}, "Inference earnings"),
        h("dd", { "data-claimable": "credits" }, formatOpen(claimable.credits)),
        h("dt", {}, "Refunded bonds"),
        h("dd", { "data-claimable": "refunds" }, formatOpen(claimable.refunds)),
        h("dt", {}, "Staking rewards"),
        h("dd", { "data-claimable": "staking" }, formatOpen(claimable.staking)),
      ),
      h(
        "p",
        { class: "actions" },
        actionButton(app.activity, "Claim inference earnings", async (progress) => {
          const client = await app.wallet.signing(progress);
          const { amount } = await client.rewards.claim();
          return `Claimed ${formatOpen(amount)} of inference earnings.`;
        }),
        actionButton(app.activity, "Claim refunded bonds", async (progress) => {
          const client = await app.wallet.signing(progress);
          const { amount } = await client.datanets.claimRefund();
          return `Claimed ${formatOpen(amount)} of refunded bonds.`;
        }),
      ),
      h("h2", {}, "Credits per inference"),
      table(
        ["Inference", "Model", "For", "Credited"],
        rows.map((r) => [
          h("code", { title: String(r.inferenceId) }, shortHex(String(r.inferenceId))),
          `#${r.modelId}`,
          r.contributionId === undefined ? "model creator's share" : `contribution #${r.contributionId}`,
          h("span", { "data-earning": String(r.contributionId ?? "creator") }, formatOpen(r.amount)),
        ]),
        "No inference has credited this account yet.",
      ),
    );
  },
};
