/** The app shell: header with the pages and the wallet, the status line, the page, and a hash router. */
import "./style.css";

import { clientError, type ProtocolClient } from "../../sdk/index.js";
import type { App, Page } from "./app.js";
import { loadConfig } from "./config.js";
import { sentence } from "./errors.js";
import { Lists } from "./lists.js";
import { datanetsPage } from "./pages/datanets.js";
import { earningsPage } from "./pages/earnings.js";
import { governancePage } from "./pages/governance.js";
import { inferencePage } from "./pages/inference.js";
import { modelsPage } from "./pages/models.js";
import { stakingPage } from "./pages/staking.js";
import { Activity, h } from "./ui.js";
import { Wallet } from "./wallet.js";

const PAGES: Page[] = [datanetsPage, modelsPage, inferencePage, earningsPage, stakingPage, governancePage];

function route(): { page: Page; args: string[] } {
  const [name = "", ...args] = location.hash.replace(/^#\/?/, "").split("/");
  return { page: PAGES.find((p) => p.path === name) ?? datanetsPage, args };
}

async function start(root: HTMLElement): Promise<void> {
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    root.replaceChildren(h("p", { id: "status", role: "alert", "data-state": "refused" }, sentence(error)));
    return;
  }
  const wallet = new Wallet(config);
  const reader: ProtocolClient = wallet.reader;
  const lists = new Lists(reader);
  const nav = h("nav", {});
  const walletBox = h("div", { class: "wallet" });
  const main = h("main", {});
  let rendering = 0;
  const render = async (): Promise<void> => {
    const ticket = ++rendering;
    const { page, args } = route();
    for (const link of nav.querySelectorAll("a")) {
      link.toggleAttribute("aria-current", link.getAttribute("href") === `#/${page.path}`);
    }
    const app: App = { config, wallet, lists, activity, args };
    main.dataset.loading = "true";
    try {
      const view = await page.render(app);
      if (ticket === rendering) main.replaceChildren(h("h1", {}, page.title), view);
    } catch (error) {
      if (ticket === rendering) {
        main.replaceChildren(h("h1", {}, page.title));
        activity.refuse(error);
      }
    } finally {
      if (ticket === rendering) {
        main.dataset.route = [page.path, ...args].join("/");
        delete main.dataset.loading;
      }
    }
  };
  const activity = new Activity(render);
  for (const page of PAGES) nav.append(h("a", { href: `#/${page.path}` }, page.title));

  const drawWallet = (): void => {
    const { chainId } = config.deployment;
    if (wallet.injected === undefined) {
      walletBox.replaceChildren(h("span", {}, "No wallet found: browsing read-only."));
      return;
    }
    if (wallet.account === undefined) {
      const connect = h("button", { type: "button", id: "connect" }, "Connect wallet");
      connect.addEventListener(
        "click",
        () =>
          void activity.run(async () => {
            await wallet.connect();
            return `Connected ${wallet.account ?? "no account"}.`;
          }),
      );
      walletBox.replaceChildren(connect);
      return;
    }
    const name = config.names?.[wallet.account.toLowerCase()];
    const parts: Node[] = [
      h("span", { id: "account" }, name === undefined ? wallet.account : `${name} ${wallet.account}`),
    ];
    if (!wallet.onChain) {
      const wrong = clientError("WrongNetwork", {
        chainId: wallet.chainId ?? 0n,
        expectedChainId: BigInt(chainId),
      });
      const switchButton = h("button", { type: "button" }, "Switch network");
      switchButton.addEventListener(
        "click",
        () =>
          void activity.run(async () => {
            await wallet.switchNetwork();
            return `The wallet is on chain ${chainId} now.`;
          }),
      );
      parts.push(h("span", { class: "wrong-network", role: "alert" }, wrong.message), switchButton);
    } else {
      parts.push(h("span", { class: "chain" }, `chain ${chainId}`));
    }
    walletBox.replaceChildren(...parts);
  };
  wallet.onChange(() => {
    drawWallet();
    void render();
  });

  root.replaceChildren(
    h("header", {}, h("strong", { class: "brand" }, "OpenLedger"), nav, walletBox),
    activity.element,
    main,
    h(
      "footer",
      {},
      `Deployment on chain ${config.deployment.chainId} (${config.deployment.network}); lists from ${lists.source}.`,
    ),
  );
  drawWallet();
  window.addEventListener("hashchange", () => void render());
  await wallet.restore().catch((error) => activity.refuse(error));
  await render();
  document.body.dataset.ready = "true";
}

const root = document.getElementById("app");
if (root !== null) void start(root);
