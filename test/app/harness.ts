/**
 * The browser tests' world: a real `hardhat node` with the suite deployed by the `deploy` task (CliNode), the world
 * of scripts/lib/world.ts seeded through the SDK, the indexer when the checkout has one, the built app served by
 * `vite preview`, and Debian's headless Chromium driven by playwright-core. Each page gets a TestWallet acting as
 * one of the world's actors.
 */
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Wallet } from "ethers";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

import { createClient, type ProtocolClient } from "../../sdk/client/index.js";
import { buildApp, serveApp, type ServedApp } from "../../scripts/lib/app-server.js";
import { startIndexer, type RunningIndexer } from "../../scripts/lib/indexer.js";
import {
  ACTORS,
  nodeClock,
  nodeKey,
  seedWorld,
  type Actor,
  type IncreaseTo,
  type World,
} from "../../scripts/lib/world.js";
import { CliNode, ROOT, freePort } from "../helpers/cli.js";
import { TestWallet } from "./wallet.js";

export const CHROMIUM = "/usr/bin/chromium";
/** Chromium's flags that work on these machines (see TOOLCHAIN.md); playwright adds a fresh user data dir. */
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** Where the screenshots of the README go. */
export const IMAGES = path.join(ROOT, "docs", "images");

/** The indexer's database folder of a test network (PGlite), removed when the harness stops. */
const indexerData = (network: string) => path.join(tmpdir(), `openledger-${network}-${process.pid}`);

/** One browser tab acting as an actor, with its wallet. */
export interface ActorPage {
  page: Page;
  wallet: TestWallet;
  context: BrowserContext;
  /** The warnings and errors the page logged (a list read from the chain instead of the indexer logs one). */
  console: string[];
}

/** What the status line said after an action. */
export interface Outcome {
  state: "done" | "refused";
  text: string;
}

export class AppHarness {
  private constructor(
    readonly node: CliNode,
    readonly world: World,
    readonly app: ServedApp,
    readonly browser: Browser,
    readonly increaseTo: IncreaseTo,
    private readonly indexer: RunningIndexer | undefined,
    private readonly keys: Map<Actor, string>,
  ) {}

  static async start(network: string): Promise<AppHarness> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `The browser tests need Debian's Chromium at ${CHROMIUM}, which is missing: install it with ` +
          "`apt-get install -y chromium` (.ci/run does).",
      );
    }
    const node = await CliNode.start(network);
    const keys = new Map((Object.keys(ACTORS) as Actor[]).map((actor) => [actor, nodeKey(ACTORS[actor])]));
    const client = (actor: Actor) =>
      createClient({
        deployment: node.deployment,
        provider: node.provider,
        signer: new Wallet(keys.get(actor) as string, node.provider),
      });
    const address = (actor: Actor) => new Wallet(keys.get(actor) as string).address;
    const increaseTo = nodeClock(node.provider);
    let indexer: RunningIndexer | undefined;
    let app: ServedApp | undefined;
    try {
      const world = await seedWorld(client, address, increaseTo);
      indexer = await startIndexer(ROOT, {
        rpcUrl: node.url,
        deploymentFile: path.join(ROOT, "deployments", `${network}.json`),
        dataDir: indexerData(network),
      });
      await buildApp(ROOT);
      const names = Object.fromEntries([...keys].map(([actor, key]) => [new Wallet(key).address.toLowerCase(), actor]));
      app = await serveApp(
        ROOT,
        {
          deployment: node.deployment,
          rpcUrl: node.url,
          names,
          ...(indexer === undefined ? {} : { indexerUrl: indexer.url }),
        },
        { port: await freePort(), built: true },
      );
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
      await mkdir(IMAGES, { recursive: true });
      return new AppHarness(node, world, app, browser, increaseTo, indexer, keys);
    } catch (error) {
      await app?.close();
      await indexer?.stop();
      await node.stop();
      throw error;
    }
  }

  /** The indexer's URL, when the checkout has an indexer (services/indexer) and it runs. */
  get indexerUrl(): string | undefined {
    return this.indexer?.url;
  }

  async stop(): Promise<void> {
    await this.browser.close();
    await this.app.close();
    await this.indexer?.stop();
    await rm(indexerData(this.node.network), { recursive: true, force: true });
    await this.node.stop();
  }

  /** An SDK client acting as `actor`: what the test does outside the browser (settle, file a proposal). */
  client(actor: Actor): ProtocolClient {
    return createClient({
      deployment: this.node.deployment,
      provider: this.node.provider,
      signer: new Wallet(this.keys.get(actor) as string, this.node.provider),
    });
  }

  address(actor: Actor): string {
    return new Wallet(this.keys.get(actor) as string).address;
  }

  /** A new tab on `route` (e.g. "inference"), with a wallet acting as `actor` on `chainId` (default: the node's). */
  async open(actor: Actor, route: string, chainId = this.node.deployment.chainId): Promise<ActorPage> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const logged: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "warning" || message.type() === "error") logged.push(message.text());
    });
    page.on("pageerror", (error) => logged.push(String(error)));
    const wallet = new TestWallet(this.keys.get(actor) as string, this.node.provider, this.node.url, chainId);
    await wallet.install(page);
    await page.goto(`${this.app.url}#/${route}`);
    await page.waitForSelector("body[data-ready]");
    await idle(page);
    return { page, wallet, context, console: logged };
  }

  /** Removes the screenshots folder's old images of this run's pages. */
  static async clearImages(names: string[]): Promise<void> {
    for (const name of names) await rm(path.join(IMAGES, `${name}.png`), { force: true });
  }
}

/** Waits until the page has rendered and no action runs. */
export async function idle(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      return doc.querySelector("main[data-loading]") === null && doc.querySelector("body[data-busy]") === null;
    },
    undefined,
    { timeout: 60_000 },
  );
}

/** Navigates to `route` ("datanets/1") and waits for the page to render it. */
export async function visit(page: Page, route: string): Promise<void> {
  await page.evaluate(`location.hash = "#/${route}"`);
  await page.waitForSelector(`main[data-route="${route}"]:not([data-loading])`, { timeout: 60_000 });
  await idle(page);
}

/** Reloads the page (its lists read afresh) and waits for it to render. */
export async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.waitForSelector("body[data-ready]");
  await idle(page);
}

/** Resets the status line and records every text it shows from now on (in `window.__statusHistory`). */
const WATCH_STATUS = `(() => {
  const status = document.getElementById("status");
  status.dataset.state = "idle";
  window.__statusHistory = [];
  window.__statusObserver?.disconnect();
  window.__statusObserver = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) window.__statusHistory.push(node.textContent);
  });
  window.__statusObserver.observe(status, { childList: true });
})()`;

/** Runs `act` (a click, a submit) and returns what the status line says once the action is over. */
export async function outcome(page: Page, act: () => Promise<void>): Promise<Outcome> {
  await page.evaluate(WATCH_STATUS);
  await act();
  const status = page.locator('#status[data-state="done"], #status[data-state="refused"]');
  await status.waitFor({ timeout: 60_000 });
  await idle(page);
  return {
    state: (await status.getAttribute("data-state")) as Outcome["state"],
    text: (await status.textContent()) ?? "",
  };
}

/** Every text the status line showed during the last `outcome`, in order: the action's progress, then its result. */
export async function statusHistory(page: Page): Promise<string[]> {
  return page.evaluate("window.__statusHistory");
}
