/**
 * A tiny view layer: `h` builds elements, `table` a table, and `Activity` runs one action at a time, showing its
 * progress (the wallet's phases) and then its result or its refusal, in one sentence, in the page's status line.
 */
import type { Phase } from "./wallet.js";
import { sentence } from "./errors.js";

type Child = Node | string | number | bigint | false | null | undefined;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === false || child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A table with a header row; an empty list shows `empty` instead. */
export function table(headers: string[], rows: Child[][], empty: string): HTMLElement {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "table",
    {},
    h("thead", {}, h("tr", {}, ...headers.map((title) => h("th", {}, title)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

/** A labelled input; `name` is the form field's name. */
export function field(label: string, name: string, attributes: Attributes = {}): HTMLElement {
  return h("label", {}, h("span", {}, label), h("input", { name, ...attributes }));
}

/** The text of a form's field (empty when there is none). */
export function value(form: HTMLFormElement, name: string): string {
  const input = form.elements.namedItem(name);
  return input instanceof HTMLInputElement || input instanceof HTMLSelectElement || input instanceof HTMLTextAreaElement
    ? input.value
    : "";
}

/** 0x1234…abcd */
export function shortHex(hex: string): string {
  return hex.length <= 14 ? hex : `${hex.slice(0, 6)}…${hex.slice(-4)}`;
}

function phaseText(phase: Phase): string {
  switch (phase.kind) {
    case "sign":
      return "Sign the permit in your wallet…";
    case "confirm":
      return "Confirm the transaction in your wallet…";
    case "sent":
      return `Transaction ${shortHex(phase.hash)} sent; waiting for it to be mined…`;
    case "mined":
      return `Transaction ${shortHex(phase.hash)} mined in block ${phase.block}; reading the result…`;
  }
}

/** What an action says when it is done, and whether the page must be read afresh (default: yes). */
export type Result = string | { done: string; refresh: boolean };

/** The page's status line, and the one action running at a time. */
export class Activity {
  readonly element = h("p", { id: "status", role: "status", "data-state": "idle" });
  private busy = false;

  constructor(private readonly afterwards: () => Promise<void>) {}

  private show(state: "pending" | "done" | "refused", text: string): void {
    this.element.dataset.state = state;
    this.element.setAttribute("role", state === "refused" ? "alert" : "status");
    this.element.textContent = text;
  }

  /** Shows a refusal that happened outside an action (a page that could not load). */
  refuse(error: unknown): void {
    this.show("refused", sentence(error));
  }

  /**
   * Runs `work` (which reports the wallet's phases to `progress`), then refreshes the page (unless `work` says it
   * changed nothing) and shows the sentence it returns; a refusal is shown as its sentence and nothing else happens.
   */
  async run(work: (progress: (phase: Phase) => void) => Promise<Result>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    document.body.dataset.busy = "true";
    this.show("pending", "Checking…");
    try {
      const result = await work((phase) => this.show("pending", phaseText(phase)));
      if (typeof result === "string" || result.refresh) await this.afterwards();
      this.show("done", typeof result === "string" ? result : result.done);
    } catch (error) {
      this.show("refused", sentence(error));
    } finally {
      this.busy = false;
      delete document.body.dataset.busy;
    }
  }
}

/** A form whose submit runs `work` as the activity's action. */
export function actionForm(
  activity: Activity,
  attributes: Attributes,
  children: Child[],
  work: (form: HTMLFormElement, progress: (phase: Phase) => void) => Promise<Result>,
): HTMLFormElement {
  const form: HTMLFormElement = h("form", attributes, ...children);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void activity.run((progress) => work(form, progress));
  });
  return form;
}

/** A button that runs `work` as the activity's action. */
export function actionButton(
  activity: Activity,
  label: string,
  work: (progress: (phase: Phase) => void) => Promise<string>,
  attributes: Attributes = {},
): HTMLButtonElement {
  const button = h("button", { type: "button", ...attributes }, label);
  button.addEventListener("click", () => void activity.run(work));
  return button;
}
