/** Models: browse with their state and approval proposal, propose one, register its artifact and activate it. */
import { formatOpen, formatTime, parseOpen } from "../../../sdk/index.js";
import { label, parseWhole, type App, type Page } from "../app.js";
import { AppRefusal } from "../errors.js";
import type { ModelRow } from "../lists.js";
import { actionButton, actionForm, field, h, shortHex, table, value } from "../ui.js";

/** The creator's next step for a model, when it is theirs to take. */
function nextStep(app: App, m: ModelRow): Node | string {
  if (app.wallet.account?.toLowerCase() !== m.creator.toLowerCase()) return "";
  if (m.state === "Trained") {
    return actionButton(
      app.activity,
      "Activate",
      async (progress) => {
        const client = await app.wallet.signing(progress);
        await client.models.activate(m.modelId);
        return `Model #${m.modelId} is Active: it takes inference.`;
      },
      { "data-model": String(m.modelId) },
    );
  }
  if (m.state !== "Approved") return "";
  return actionForm(
    app.activity,
    { class: "inline", "data-model": String(m.modelId) },
    [
      h("input", { type: "file", name: "artifact", "aria-label": `Artifact of model ${m.modelId}` }),
      h("input", { name: "uri", placeholder: "ipfs://…/weights", "aria-label": "Artifact URI" }),
      h("button", { type: "submit" }, "Register artifact"),
    ],
    async (form, progress) => {
      const input = form.elements.namedItem("artifact");
      const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
      if (file === undefined) throw new AppRefusal("Choose the artifact file (the weights) to register.");
      const bytes = new Uint8Array(await file.arrayBuffer());
      const client = await app.wallet.signing(progress);
      const { artifactHash } = await client.models.registerArtifact(
        m.modelId,
        bytes,
        value(form, "uri").trim() || `file://${file.name}`,
      );
      return `Model #${m.modelId} is Trained: artifact ${artifactHash} registered; activate it to take inference.`;
    },
  );
}

export const modelsPage: Page = {
  path: "models",
  title: "Models",
  async render(app) {
    const models = await app.lists.models();
    const propose = actionForm(
      app.activity,
      { id: "propose-model" },
      [
        field("Metadata URI", "metadata", { placeholder: "ipfs://…/model.json", required: true }),
        field("Datanets it is trained on (ids, comma-separated)", "datanets", { placeholder: "1" }),
        field("Input rate (OPEN per 1,000 tokens)", "inputRate", { value: "0.06", inputmode: "decimal" }),
        field("Output rate (OPEN per 1,000 tokens)", "outputRate", { value: "0.2", inputmode: "decimal" }),
        h("button", { type: "submit" }, "Propose model and file its approval"),
      ],
      async (form, progress) => {
        const datanetIds = value(form, "datanets")
          .split(",")
          .filter((part) => part.trim() !== "")
          .map((part) => parseWhole(part, "A datanet id"));
        const rates = {
          inputRate: parseOpen(value(form, "inputRate"), "the input rate", true),
          outputRate: parseOpen(value(form, "outputRate"), "the output rate", true),
        };
        const client = await app.wallet.signing(progress);
        const done = await client.models.propose(value(form, "metadata").trim(), datanetIds, rates);
        return (
          `Model #${done.modelId} proposed with a bond of ${formatOpen(done.bond)}` +
          (done.proposal === undefined
            ? "."
            : `; approval proposal ${shortHex(String(done.proposal.proposalId))} filed.`)
        );
      },
    );
    return h(
      "div",
      {},
      table(
        ["Id", "Metadata", "Creator", "State", "Datanets", "Rates (per 1,000 tokens)", "Approval", "Proposed", ""],
        models.map((m) => [
          m.modelId,
          m.metadataURI,
          label(app, m.creator),
          h("span", { class: `state ${m.state.toLowerCase()}`, "data-model-state": String(m.modelId) }, m.state),
          m.datanetIds.join(", "),
          `${formatOpen(m.rates.inputRate)} in, ${formatOpen(m.rates.outputRate)} out`,
          m.approval === undefined
            ? "none filed"
            : h("a", { href: "#/governance" }, `${shortHex(String(m.approval.proposalId))}: ${m.approval.state}`),
          formatTime(m.proposedAt),
          nextStep(app, m),
        ]),
        "No models yet.",
      ),
      h("h2", {}, "Propose a model"),
      h("p", {}, "The proposal bond is returned when governance approves the model; the proposer needs enough votes."),
      propose,
    );
  },
};
