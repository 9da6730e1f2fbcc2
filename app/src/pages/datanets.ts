/** Datanets: browse, create, open one to contribute a file (hashed here, bond by permit) and review as a curator. */
import { keccak256 } from "ethers";

import { formatOpen, formatTime, parseAddress, parseOpen, type ContributionSummary } from "../../../sdk/index.js";
import { label, parseWhole, type App, type Page } from "../app.js";
import { AppRefusal } from "../errors.js";
import { actionButton, actionForm, field, h, shortHex, table, value } from "../ui.js";

/** The bytes of the file chosen in a form's file input. */
async function chosenFile(form: HTMLFormElement): Promise<{ name: string; bytes: Uint8Array }> {
  const input = form.elements.namedItem("file");
  const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
  if (file === undefined) throw new AppRefusal("Choose a file to contribute.");
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

function contributionRows(app: App, contributions: ContributionSummary[]) {
  return contributions.map((c) => [
    `#${c.id}`,
    label(app, c.contributor),
    h("span", { class: `state ${c.status.toLowerCase()}`, "data-contribution-status": String(c.id) }, c.status),
    formatOpen(c.bond),
    `${c.size} bytes`,
    h("code", { title: c.contentHash }, shortHex(c.contentHash)),
    c.uri,
    c.status === "Pending"
      ? h(
          "span",
          { class: "actions" },
          actionButton(
            app.activity,
            "Accept",
            async (progress) => {
              const client = await app.wallet.signing(progress);
              await client.datanets.review([c.id], []);
              return `Contribution #${c.id} accepted: its bond is refundable.`;
            },
            { "data-contribution": String(c.id) },
          ),
          actionButton(
            app.activity,
            "Reject",
            async (progress) => {
              const client = await app.wallet.signing(progress);
              const { slashed } = await client.datanets.review([], [c.id]);
              return `Contribution #${c.id} rejected: its ${formatOpen(slashed)} bond goes to the treasury.`;
            },
            { "data-contribution": String(c.id), class: "danger" },
          ),
        )
      : "",
  ]);
}

async function detail(app: App, datanetId: bigint): Promise<HTMLElement> {
  const [d, contributions] = await Promise.all([
    app.wallet.reader.datanets.datanet(datanetId),
    app.lists.contributions(datanetId),
  ]);
  const hashLine = h("p", { class: "hash", id: "content-hash" }, "Choose a file: it is hashed (keccak256) here.");
  const fileInput = h("input", { type: "file", name: "file", id: "contribution-file" });
  fileInput.addEventListener("change", () => {
    void (async () => {
      const file = fileInput.files?.[0];
      if (file === undefined) return;
      const bytes = new Uint8Array(await file.arrayBuffer());
      hashLine.textContent = `${file.name}: ${bytes.length} bytes, content hash ${keccak256(bytes)}`;
    })();
  });
  const contribute = actionForm(
    app.activity,
    { id: "contribute" },
    [
      h("label", {}, h("span", {}, "File"), fileInput),
      hashLine,
      field("URI (where the file can be fetched)", "uri", { placeholder: "ipfs://…" }),
      h("button", { type: "submit" }, `Contribute (bond ${formatOpen(d.bond)})`),
    ],
    async (form, progress) => {
      const { name, bytes } = await chosenFile(form);
      const uri = value(form, "uri").trim() || `file://${name}`;
      const client = await app.wallet.signing(progress);
      const done = await client.datanets.contribute(datanetId, { bytes }, uri);
      return (
        `Contribution #${done.contributionId} submitted with a bond of ${formatOpen(done.bond)}` +
        `${done.usedPermit ? ", approved by permit in the same transaction" : ""}; content hash ${done.contentHash}.`
      );
    },
  );
  // Curators publish versions; the owner also opens, closes and names curators.
  const owning = d.owner.toLowerCase() === app.wallet.account?.toLowerCase();
  const curatorTools = h(
    "div",
    { class: "curator-tools" },
    h("h3", {}, "Curate"),
    h(
      "p",
      { class: "actions" },
      actionButton(app.activity, "Publish a version", async (progress) => {
        const client = await app.wallet.signing(progress);
        const done = await client.datanets.publishVersion(datanetId, (v) => `${d.metadataURI}#v${v}`);
        return `Version ${done.version} published: ${done.count} accepted contributions, Merkle root ${done.root}.`;
      }),
      owning
        ? actionButton(
            app.activity,
            d.open ? "Close to contributions" : "Reopen to contributions",
            async (progress) => {
              const client = await app.wallet.signing(progress);
              await client.datanets.setOpen(datanetId, !d.open);
              return `Datanet ${datanetId} is ${d.open ? "closed to" : "open to"} contributions.`;
            },
          )
        : "",
    ),
    !owning
      ? ""
      : actionForm(
          app.activity,
          { id: "add-curator", class: "inline" },
          [
            h("input", {
              name: "curator",
              placeholder: "0x… (the owner adds curators)",
              "aria-label": "Curator address",
            }),
            h("button", { type: "submit" }, "Add curator"),
          ],
          async (form, progress) => {
            const curator = parseAddress(value(form, "curator"), "the curator");
            const client = await app.wallet.signing(progress);
            await client.datanets.setCurator(datanetId, curator, true);
            return `${label(app, curator)} curates datanet ${datanetId} now.`;
          },
        ),
  );
  const curating = d.curators.some((c) => c.toLowerCase() === app.wallet.account?.toLowerCase());
  return h(
    "section",
    { class: "detail", id: `datanet-${datanetId}` },
    h("h2", {}, `Datanet ${datanetId}: ${d.metadataURI}`),
    h(
      "p",
      {},
      `Owner ${label(app, d.owner)}; ${d.open ? "open" : "closed"} to contributions; bond ${formatOpen(d.bond)}; ` +
        `created ${formatTime(d.createdAt)}; ${d.contributionCount} contributions, ${d.acceptedCount} accepted; ` +
        `${d.versions.length} published version(s).`,
    ),
    h("p", {}, `Curators: ${d.curators.map((c) => label(app, c)).join(", ")}`),
    table(
      ["Id", "Contributor", "Status", "Bond", "Size", "Content hash", "URI", "Review (curators)"],
      contributionRows(app, contributions),
      "No contributions yet.",
    ),
    curating ? curatorTools : "",
    h("h3", {}, "Contribute a file"),
    contribute,
  );
}

export const datanetsPage: Page = {
  path: "datanets",
  title: "Datanets",
  async render(app) {
    const datanets = await app.lists.datanets();
    const selected = app.args[0] === undefined ? undefined : parseWhole(app.args[0], "A datanet id");
    const create = actionForm(
      app.activity,
      { id: "create-datanet" },
      [
        field("Metadata URI", "metadata", { placeholder: "ipfs://…/datanet.json", required: true }),
        field("Bond per contribution (OPEN)", "bond", { value: "10", inputmode: "decimal" }),
        h("button", { type: "submit" }, "Create datanet"),
      ],
      async (form, progress) => {
        const bond = parseOpen(value(form, "bond"), "the bond");
        const client = await app.wallet.signing(progress);
        const { datanetId } = await client.datanets.create(value(form, "metadata").trim(), bond);
        location.hash = `#/datanets/${datanetId}`;
        return `Datanet ${datanetId} created; you own and curate it.`;
      },
    );
    return h(
      "div",
      {},
      table(
        ["Id", "Metadata", "Owner", "Bond", "Contributions", "Accepted", "Open", ""],
        datanets.map((d) => [
          d.datanetId,
          d.metadataURI,
          label(app, d.owner),
          formatOpen(d.bond),
          d.contributionCount,
          d.acceptedCount,
          d.open ? "yes" : "no",
          h("a", { href: `#/datanets/${d.datanetId}` }, "Open"),
        ]),
        "No datanets yet.",
      ),
      selected === undefined ? h("p", {}, "Open a datanet to contribute to it or review its contributions.") : "",
      selected === undefined ? "" : await detail(app, selected),
      h("h2", {}, "Create a datanet"),
      create,
    );
  },
};
