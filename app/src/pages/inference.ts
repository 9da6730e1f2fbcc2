/** Inference: quote from token counts or from texts (counted with the engine's tokenizer), and pay by permit. */
import { formatOpen, type FeeQuote } from "../../../sdk/index.js";
import { parseWhole, type App, type Page } from "../app.js";
import { AppRefusal } from "../errors.js";
import { actionForm, field, h, shortHex, table, value } from "../ui.js";

/** The token counts of the form: its texts when given (the tokenizer loads then), else its numbers. */
async function tokenCounts(form: HTMLFormElement): Promise<{ input: bigint; output: bigint }> {
  const inputText = value(form, "inputText");
  const outputText = value(form, "outputText");
  if (inputText !== "" || outputText !== "") {
    const { countTokens } = await import("../../../attribution/tokenizer.js");
    return { input: BigInt(countTokens(inputText)), output: BigInt(countTokens(outputText)) };
  }
  return {
    input: parseWhole(value(form, "inputTokens"), "The input token count"),
    output: parseWhole(value(form, "outputTokens"), "The output token count"),
  };
}

function quoteView(quote: FeeQuote, tokens: { input: bigint; output: bigint }): HTMLElement {
  const row = (name: string, amount: bigint) => [h("dt", {}, name), h("dd", {}, formatOpen(amount))];
  return h(
    "dl",
    { id: "quote" },
    h("dt", {}, "Tokens"),
    h("dd", {}, `${tokens.input} in + ${tokens.output} out`),
    ...row("Fee", quote.fee),
    ...row("Model creator", quote.creatorShare),
    ...row("Stakers", quote.stakersShare),
    ...row("Data contributors (pool)", quote.pool),
    ...row("Platform", quote.platformFee),
  );
}

/** The last quote shown, kept across the page's refreshes (each action refreshes the page). */
let lastQuote: HTMLElement | undefined;

export const inferencePage: Page = {
  path: "inference",
  title: "Inference",
  async render(app: App) {
    const active = (await app.lists.models()).filter((m) => m.state === "Active");
    const quoteBox = h("div", { class: "quote" }, lastQuote);
    const select = h(
      "select",
      { name: "model", id: "model" },
      ...active.map((m) => h("option", { value: String(m.modelId) }, `#${m.modelId} ${m.metadataURI}`)),
    );
    const modelOf = (form: HTMLFormElement) => {
      const text = value(form, "model");
      if (text === "") throw new AppRefusal("No model is Active yet: there is nothing to pay for.");
      return parseWhole(text, "A model id");
    };
    const form = actionForm(
      app.activity,
      { id: "inference" },
      [
        h("label", {}, h("span", {}, "Model"), select),
        h(
          "fieldset",
          {},
          h("legend", {}, "Token counts"),
          field("Input tokens", "inputTokens", { value: "2000", inputmode: "numeric" }),
          field("Output tokens", "outputTokens", { value: "1000", inputmode: "numeric" }),
        ),
        h(
          "fieldset",
          {},
          h("legend", {}, "…or the texts (counted with the o200k_base tokenizer)"),
          h("label", {}, h("span", {}, "Prompt"), h("textarea", { name: "inputText", rows: 2 })),
          h("label", {}, h("span", {}, "Answer"), h("textarea", { name: "outputText", rows: 2 })),
        ),
        h(
          "p",
          { class: "actions" },
          h("button", { type: "submit", name: "intent", value: "quote" }, "Quote"),
          h("button", { type: "submit", name: "intent", value: "pay" }, "Pay"),
        ),
      ],
      async (form, progress) => {
        const pay = form.dataset.intent === "pay";
        const modelId = modelOf(form);
        const tokens = await tokenCounts(form);
        if (!pay) {
          const quote = await app.wallet.reader.inference.quote(modelId, tokens.input, tokens.output);
          lastQuote = quoteView(quote, tokens);
          quoteBox.replaceChildren(lastQuote);
          const done = `Quoted ${formatOpen(quote.fee)} for ${tokens.input} input and ${tokens.output} output tokens on model #${modelId}.`;
          return { done, refresh: false };
        }
        const client = await app.wallet.signing(progress);
        const paid = await client.inference.pay(modelId, tokens.input, tokens.output);
        lastQuote = quoteView(paid.quote, tokens);
        return (
          `Paid ${formatOpen(paid.quote.fee)} for inference ${shortHex(String(paid.inferenceId))} on model #${modelId}` +
          `${paid.usedPermit ? ", approved by permit in the same transaction" : ""}.`
        );
      },
    );
    // Which button submitted the form decides between quoting and paying.
    form.addEventListener(
      "submit",
      (event) => {
        const submitter = (event as SubmitEvent).submitter;
        form.dataset.intent = submitter instanceof HTMLButtonElement ? submitter.value : "quote";
      },
      { capture: true },
    );
    const account = app.wallet.account;
    const paid = account === undefined ? [] : await app.lists.inferences(account);
    return h(
      "div",
      {},
      active.length === 0 ? h("p", { class: "empty" }, "No model is Active yet.") : "",
      form,
      quoteBox,
      h("h2", {}, "Your inferences"),
      table(
        ["Inference", "Model", "Fee", "Status"],
        paid.map((i) => [
          h("code", { title: String(i.inferenceId) }, shortHex(String(i.inferenceId))),
          `#${i.modelId}`,
          formatOpen(i.fee),
          h("span", { class: `state ${i.status.toLowerCase()}`, "data-inference": String(i.inferenceId) }, i.status),
        ]),
        account === undefined ? "Connect a wallet to see its inferences." : "No inference paid yet.",
      ),
    );
  },
};
