/**
 * What every part of the client shares: the deployment, the provider, the optional signer, the typed contracts
 * bound to them, and the helpers that send a transaction or read a value and turn a revert into a
 * ProtocolError.
 */
import {
  isError,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Provider,
  type Signer,
} from "ethers";

import { clientError } from "../core/client-errors.js";
import { connectProtocol, type ProtocolContracts } from "../core/contracts.js";
import type { ContractName, DeploymentRecord } from "../core/deployments.js";
import { toProtocolError } from "../core/errors.js";
import { LOG_QUERY_SPAN, queryInSpans } from "../core/events.js";
import { UINT256_LIMIT } from "../core/numbers.js";
import { IndexerReader, type IndexerOptions } from "./indexer.js";

/** How a client is made: a deployment record, and a provider, a signer, or both. */
export interface ClientOptions {
  deployment: DeploymentRecord;
  /** For reads; defaults to the signer's provider. */
  provider?: Provider;
  /** The acting account, for transactions and signatures; reads need none. */
  signer?: Signer;
  /** Most blocks one event query spans (default LOG_QUERY_SPAN): lower it for RPCs that refuse wide ranges. */
  logSpan?: number;
  /**
   * The protocol's indexer (services/indexer): its URL (e.g. http://127.0.0.1:42069), or its URL with how long a
   * list waits for it to catch up and what to tell when it does not. Lists are read from it when it has indexed
   * the latest block, and from the chain's events otherwise.
   */
  indexer?: string | IndexerOptions;
}

/** A transaction the node accepted, not yet mined: enough to follow it up and to replace it (same nonce). */
export interface SentTransaction {
  hash: string;
  nonce: number;
  to: string;
  data: string;
  gasLimit: bigint;
  /** EIP-1559 fees, or the legacy gas price, as sent. */
  maxFeePerGas: bigint | null;
  maxPriorityFeePerGas: bigint | null;
  gasPrice: bigint | null;
}

/** How `send` waits: at most `timeoutMs` for the receipt (the default waits as long as it takes). */
export interface SendOptions {
  onSent?: (sent: SentTransaction) => void | Promise<void>;
  timeoutMs?: number;
}

/** A sent and mined transaction. */
export interface Sent {
  hash: string;
  receipt: ContractTransactionReceipt;
}

export class ClientContext {
  readonly deployment: DeploymentRecord;
  readonly provider: Provider;
  readonly signer: Signer | undefined;
  /** The suite's contracts, bound to the signer when there is one (so they can send), else to the provider. */
  readonly contracts: ProtocolContracts;
  readonly logSpan: number;
  /** The indexer lists are read from first, when the client was given one. */
  readonly indexer: IndexerReader | undefined;
  #account: Promise<string> | undefined;

  constructor(options: ClientOptions) {
    const provider = options.provider ?? options.signer?.provider ?? undefined;
    if (provider === undefined || provider === null) {
      throw new TypeError("A protocol client needs a provider, or a signer connected to one.");
    }
    this.deployment = options.deployment;
    this.provider = provider;
    this.signer = options.signer;
    this.contracts = connectProtocol(options.deployment, options.signer ?? provider);
    this.logSpan = options.logSpan ?? LOG_QUERY_SPAN;
    const indexer = typeof options.indexer === "string" ? { url: options.indexer } : options.indexer;
    this.indexer = indexer === undefined ? undefined : new IndexerReader(indexer, provider);
  }

  /** The signer's address; refuses with `NoSigner` for a read-only client. */
  account(): Promise<string> {
    if (this.signer === undefined) return Promise.reject(clientError("NoSigner", {}));
    this.#account ??= this.signer.getAddress();
    return this.#account;
  }

  /** The signer; refuses with `NoSigner` for a read-only client. */
  requireSigner(): Signer {
    if (this.signer === undefined) throw clientError("NoSigner", {});
    return this.signer;
  }

  address(name: ContractName): string {
    return this.deployment.addresses[name];
  }

  async chainId(): Promise<bigint> {
    return (await this.provider.getNetwork()).chainId;
  }

  /** Refuses with `WrongNetwork` when the provider (a wallet's, say) is on another chain than the deployment. */
  async checkNetwork(): Promise<void> {
    const chainId = await this.chainId();
    const expectedChainId = BigInt(this.deployment.chainId);
    if (chainId !== expectedChainId) throw clientError("WrongNetwork", { chainId, expectedChainId });
  }

  /** Unix time of the latest block: a time that has passed now has passed for the next transaction too. */
  async now(): Promise<bigint> {
    const block = await this.provider.getBlock("latest");
    if (block === null) throw new Error("The network returned no latest block.");
    return BigInt(block.timestamp);
  }

  /**
   * Sends a transaction and waits for it to be mined; a revert becomes its ProtocolError. `onSent` learns the
   * transaction (hash, nonce, calldata, fees) once the node took it and before it is mined, to record it durably;
   * with `timeoutMs`, a receipt not there in time is refused with `NotMinedYet` (the transaction stays sent).
   */
  async send(
    transaction: () => Promise<ContractTransactionResponse>,
    { onSent, timeoutMs }: SendOptions = {},
  ): Promise<Sent> {
    this.requireSigner();
    let tx: ContractTransactionResponse | undefined;
    try {
      tx = await transaction();
      await onSent?.({
        hash: tx.hash,
        nonce: tx.nonce,
        to: tx.to ?? "",
        data: tx.data,
        gasLimit: tx.gasLimit,
        maxFeePerGas: tx.maxFeePerGas,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
        gasPrice: tx.maxFeePerGas === null ? tx.gasPrice : null,
      });
      const receipt = await tx.wait(1, timeoutMs);
      if (receipt === null) throw new Error(`The transaction ${tx.hash} has no receipt.`);
      return { hash: tx.hash, receipt };
    } catch (error) {
      if (tx !== undefined && isError(error, "TIMEOUT")) {
        throw clientError("NotMinedYet", {
          hash: tx.hash,
          nonce: BigInt(tx.nonce),
          seconds: BigInt(Math.ceil((timeoutMs ?? 0) / 1000)),
        });
      }
      throw toProtocolError(error) ?? error;
    }
  }

  /** Reads a value; a revert becomes its ProtocolError. */
  async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toProtocolError(error) ?? error;
    }
  }

  /** Runs an event query from the deployment's first block to the latest, in spans of `logSpan` blocks. */
  events<T>(query: (from: number, to: number) => Promise<T[]>): Promise<T[]> {
    return queryInSpans(this.provider, this.deployment.deployBlock, query, this.logSpan);
  }

  /**
   * Refuses a recipient that could not spend OPEN sent to it: the zero address, or a contract of the suite other
   * than the timelock (which holds the treasury). The contracts refuse most of these themselves; saying so first
   * costs no gas.
   */
  checkRecipient(recipient: string): void {
    if (BigInt(recipient) === 0n) throw clientError("ZeroAddress", { what: "the recipient" });
    for (const [name, address] of Object.entries(this.deployment.addresses)) {
      if (name !== "timelock" && address.toLowerCase() === recipient.toLowerCase()) {
        throw clientError("RecipientIsProtocolContract", { recipient, contract: name });
      }
    }
  }

  /** Refuses an id that a uint256 cannot hold (negative, or 2^256 and above). */
  checkId(value: bigint, what: string): bigint {
    if (value < 0n || value >= UINT256_LIMIT) throw clientError("IdOutOfRange", { what, value });
    return value;
  }
}
