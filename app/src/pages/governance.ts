/** Governance: proposals with their state and tallies; vote, queue and execute. */
import { formatOpen, formatTime, type VoteChoice } from "../../../sdk/index.js";
import { label, type App, type Page } from "../app.js";
import type { ProposalRow } from "../lists.js";
import { actionButton, h, shortHex, table } from "../ui.js";

function actions(app: App, p: ProposalRow): Node | string {
  const id = String(p.proposalId);
  const attributes = { "data-proposal": id };
  const vote = (choice: VoteChoice, text: string) =>
    actionButton(
      app.activity,
      text,
      async (progress) => {
        const client = await app.wallet.signing(progress);
        const { weight } = await client.governance.castVote(p.proposalId, choice);
        return `Voted ${choice} on proposal ${shortHex(id)} with ${formatOpen(weight, "votes")}.`;
      },
      attributes,
    );
  switch (p.state) {
    case "Active":
      return h(
        "span",
        { class: "actions" },
        vote("for", "Vote for"),
        vote("against", "Vote against"),
        vote("abstain", "Abstain"),
      );
    case "Succeeded":
      return actionButton(
        app.activity,
        "Queue",
        async (progress) => {
          const client = await app.wallet.signing(progress);
          const { eta } = await client.governance.queue(p.proposalId);
          return `Proposal ${shortHex(id)} queued in the timelock: it can be executed from ${formatTime(eta)}.`;
        },
        attributes,
      );
    case "Queued":
      return actionButton(
        app.activity,
        "Execute",
        async (progress) => {
          const client = await app.wallet.signing(progress);
          await client.governance.execute(p.proposalId);
          return `Proposal ${shortHex(id)} executed.`;
        },
        attributes,
      );
    default:
      return "";
  }
}

export const governancePage: Page = {
  path: "governance",
  title: "Governance",
  async render(app) {
    const proposals = await app.lists.proposals();
    return h(
      "div",
      {},
      table(
        [
          "Proposal",
          "Description",
          "Actions",
          "Proposer",
          "State",
          "For",
          "Against",
          "Abstain",
          "Quorum",
          "Voting ends",
          "",
        ],
        proposals.map((p) => [
          h("code", { title: String(p.proposalId) }, shortHex(String(p.proposalId))),
          p.description,
          p.actions.map((a) => app.wallet.reader.governance.describeAction(a).text).join("; "),
          label(app, p.proposer),
          h("span", { class: `state ${p.state.toLowerCase()}`, "data-proposal-state": String(p.proposalId) }, p.state),
          formatOpen(p.forVotes, "votes"),
          formatOpen(p.againstVotes, "votes"),
          formatOpen(p.abstainVotes, "votes"),
          formatOpen(p.quorum, "votes"),
          formatTime(p.voteEnd),
          actions(app, p),
        ]),
        "No proposals yet.",
      ),
    );
  },
};
