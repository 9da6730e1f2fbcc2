/**
 * The wallet: any injected EIP-1193 provider (`window.ethereum`). Reads go through a JSON-RPC provider on the
 * configured endpoint (lists through the indexer, when one is configured) until a wallet connects; every write goes through the SDK's client over ethers'
 * BrowserProvider and the wallet's signer, made afresh for each action so a wallet that switched chain or account
 * is noticed, and refused with the SDK's WrongNetwork sentence before anything is sent.
 *
 * The wallet's requests are observed (not changed) to report a pending action's progress: a permit to sign, a
 * transaction to confirm, a transaction sent, a transaction mined.
 */
import { BrowserProvider, JsonRpcProvider, type Eip1193Provider } from "ethers";

import { createClient, type ProtocolClient } from "../../sdk/index.js";
import type { AppConfig } from "./config.js";
import { AppRefusal } from "./errors.js";

/** How long a list waits for the indexer to index the latest block before it is read from the chain. */
const INDEXER_CATCH_UP_MS = 8_000;

/** Where a pending action is. */
export type Phase =
  | { kind: "sign" }
  | { kind: "confirm" }
  | { kind: "sent"; hash: string }
  | { kind: "mined"; hash: string; block: number };

/** An injected wallet: EIP-1193 `request`, and the events most wallets emit. */
export interface InjectedWallet extends Eip1193Provider {
  on?(event: string, listener: (...args: unknown[]) => void): void;
}

declare global {
  interface Window {
    ethereum?: InjectedWallet;
  }
}

/** Forwards every request to `wallet`, telling `onPhase` when one needs the user or a transaction moves. */
function observed(wallet: InjectedWallet, onPhase: (phase: Phase) => void): Eip1193Provider {
  const sent = new Set<string>();
  return {
    async request(args: { method: string; params?: unknown[] | Record<string, unknown> }): Promise<unknown> {
      if (args.method.startsWith("eth_signTypedData")) onPhase({ kind: "sign" });
      if (args.method === "eth_sendTransaction") onPhase({ kind: "confirm" });
      const result = await wallet.request(args);
      if (args.method === "eth_sendTransaction" && typeof result === "string") {
        sent.add(result);
        onPhase({ kind: "sent", hash: result });
      }
      if (args.method === "eth_getTransactionReceipt" && typeof result === "object" && result !== null) {
        const receipt = result as { transactionHash?: string; blockNumber?: string };
        if (receipt.transactionHash !== undefined && sent.delete(receipt.transactionHash)) {
          onPhase({ kind: "mined", hash: receipt.transactionHash, block: Number(receipt.blockNumber ?? 0) });
        }
      }
      return result;
    },
  };
}

export class Wallet {
  /** A read-only client over the configured endpoint. */
  readonly reader: ProtocolClient;
  account: string | undefined;
  chainId: bigint | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly config: AppConfig) {
    const { chainId } = config.deployment;
    const provider = new JsonRpcProvider(config.rpcUrl, chainId, { staticNetwork: true, cacheTimeout: -1 });
    this.reader = createClient({
      deployment: config.deployment,
      provider,
      ...(config.indexerUrl === undefined
        ? {}
        : {
            // A page refreshed right after a transaction waits a moment for the indexer rather than scan the chain.
            indexer: { url: config.indexerUrl, catchUpMs: INDEXER_CATCH_UP_MS, onFallback: (r) => console.warn(r) },
          }),
    });
    const injected = this.injected;
    injected?.on?.("accountsChanged", (accounts) => {
      this.account = Array.isArray(accounts) && typeof accounts[0] === "string" ? accounts[0] : undefined;
      this.changed();
    });
    injected?.on?.("chainChanged", (chainId) => {
      this.chainId = typeof chainId === "string" ? BigInt(chainId) : undefined;
      this.changed();
    });
  }

  get injected(): InjectedWallet | undefined {
    return window.ethereum;
  }

  /** True when the connected wallet is on the deployment's chain. */
  get onChain(): boolean {
    return this.chainId === BigInt(this.config.deployment.chainId);
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private requireInjected(): InjectedWallet {
    const injected = this.injected;
    if (injected === undefined) {
      throw new AppRefusal("No wallet was found in this browser: install an EIP-1193 wallet (such as MetaMask) first.");
    }
    return injected;
  }

  private async readState(method: "eth_accounts" | "eth_requestAccounts"): Promise<void> {
    const injected = this.requireInjected();
    const accounts = (await injected.request({ method })) as string[];
    this.account = accounts[0];
    this.chainId = BigInt((await injected.request({ method: "eth_chainId" })) as string);
    this.changed();
  }

  /** Asks the wallet for an account. */
  connect(): Promise<void> {
    return this.readState("eth_requestAccounts");
  }

  /** Picks up an account the wallet already shares with this page, without prompting. */
  async restore(): Promise<void> {
    if (this.injected !== undefined) await this.readState("eth_accounts");
  }

  /** Asks the wallet to switch to the deployment's chain. */
  async switchNetwork(): Promise<void> {
    const injected = this.requireInjected();
    await injected.request({
      method: "wallet_switchEthereumChain",
      params: [{ chainId: `0x${this.config.deployment.chainId.toString(16)}` }],
    });
    await this.readState("eth_accounts");
  }

  /**
   * A client acting as the connected account through the wallet, refusing (before anything is sent) when no wallet
   * or account is connected, or when the wallet is on another chain than the deployment.
   */
  async signing(onPhase: (phase: Phase) => void): Promise<ProtocolClient> {
    const injected = this.requireInjected();
    if (this.account === undefined) throw new AppRefusal("Connect a wallet first: this action is signed by it.");
    const provider = new BrowserProvider(observed(injected, onPhase));
    const client = createClient({ deployment: this.config.deployment, provider });
    await client.checkNetwork();
    return client.connect(await provider.getSigner(this.account));
  }
}
