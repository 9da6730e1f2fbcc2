/**
 * A test wallet injected into the page as an EIP-1193 provider (`window.ethereum`), as the wagmi mock connector
 * and Uniswap's end-to-end tests do: the page's requests cross to Node through `page.exposeFunction`, where an
 * ethers Wallet with a local key signs transactions and EIP-712 data; every other request is forwarded, as it is,
 * to the node. It can claim another chain (a wrong network) and records what the page asked it to send.
 */
import { Wallet, getBytes, type JsonRpcProvider, type TypedDataField } from "ethers";
import type { Page } from "playwright-core";

/** The page's side: `window.ethereum`, whose `request` crosses to Node and whose events the test can emit. */
const INJECTED = `
(() => {
  const listeners = new Map();
  window.ethereum = {
    isTestWallet: true,
    async request({ method, params }) {
      const answer = JSON.parse(await window.__testWalletRequest(method, JSON.stringify(params ?? [])));
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        error.data = answer.error.data;
        throw error;
      }
      return answer.result;
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
    },
  };
  window.__testWalletEmit = (event, value) => {
    for (const listener of listeners.get(event) ?? []) listener(value);
  };
})();
`;

interface RpcAnswer {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export class TestWallet {
  readonly signer: Wallet;
  /** The chain id the wallet reports (set another to play a wallet on the wrong network). */
  chainId: number;
  /** Every transaction the page asked the wallet to send. */
  readonly sent: unknown[] = [];
  /** When true, the person declines every signature and transaction (EIP-1193 error 4001). */
  declines = false;
  private page: Page | undefined;

  constructor(
    key: string,
    provider: JsonRpcProvider,
    private readonly rpcUrl: string,
    chainId: number,
  ) {
    this.signer = new Wallet(key, provider);
    this.chainId = chainId;
  }

  get address(): string {
    return this.signer.address;
  }

  /** Injects the wallet into `page` (before any of its scripts run). */
  async install(page: Page): Promise<void> {
    this.page = page;
    await page.exposeFunction("__testWalletRequest", (method: string, params: string) =>
      this.handle(method, JSON.parse(params) as unknown[]).then((answer) => JSON.stringify(answer)),
    );
    await page.addInitScript({ content: INJECTED });
  }

  /** Switches the chain the wallet reports, telling the page as a wallet does (`chainChanged`). */
  async switchChain(chainId: number): Promise<void> {
    this.chainId = chainId;
    await this.page?.evaluate(`window.__testWalletEmit("chainChanged", "0x${chainId.toString(16)}")`);
  }

  private async forward(method: string, params: unknown[]): Promise<RpcAnswer> {
    const response = await fetch(this.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as RpcAnswer;
    return body.error === undefined ? { result: body.result } : { error: body.error };
  }

  private async handle(method: string, params: unknown[]): Promise<RpcAnswer> {
    try {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return { result: [this.address] };
        case "eth_chainId":
          return { result: `0x${this.chainId.toString(16)}` };
        case "net_version":
          return { result: String(this.chainId) };
        case "wallet_switchEthereumChain": {
          const [{ chainId }] = params as [{ chainId: string }];
          await this.switchChain(Number(BigInt(chainId)));
          return { result: null };
        }
        case "eth_sendTransaction": {
          const [tx] = params as [{ to?: string; data?: string; value?: string; gas?: string }];
          this.sent.push(tx);
          if (this.declines) return { error: { code: 4001, message: "User rejected the request." } };
          if (this.chainId !== Number((await this.signer.provider!.getNetwork()).chainId)) {
            return { error: { code: 4901, message: "The wallet is not connected to the requested chain." } };
          }
          const response = await this.signer.sendTransaction({
            ...(tx.to === undefined ? {} : { to: tx.to }),
            ...(tx.data === undefined ? {} : { data: tx.data }),
            ...(tx.value === undefined ? {} : { value: BigInt(tx.value) }),
            ...(tx.gas === undefined ? {} : { gasLimit: BigInt(tx.gas) }),
          });
          return { result: response.hash };
        }
        case "eth_signTypedData_v4": {
          if (this.declines) return { error: { code: 4001, message: "User rejected the request." } };
          const [, json] = params as [string, string];
          const typed = JSON.parse(json) as {
            domain: Record<string, unknown>;
            types: Record<string, TypedDataField[]>;
            message: Record<string, unknown>;
          };
          const { EIP712Domain: _domain, ...types } = typed.types;
          return { result: await this.signer.signTypedData(typed.domain, types, typed.message) };
        }
        case "personal_sign": {
          const [message] = params as [string];
          return { result: await this.signer.signMessage(getBytes(message)) };
        }
        default:
          return this.forward(method, params);
      }
    } catch (error) {
      return { error: { code: -32603, message: error instanceof Error ? error.message : String(error) } };
    }
  }
}
