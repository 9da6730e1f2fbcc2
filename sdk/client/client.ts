/**
 * The protocol client: every user action and read, over ethers v6, with the precondition checks that give a
 * dapp the same refusals as the CLI (each a ProtocolError with a code and a sentence). Framework-free: a
 * provider, an optional signer and a deployment record are all it needs.
 *
 *   const client = createClient({ deployment: getDeployment(chainId), signer });
 *   const quote = await client.inference.quote(1n, 2_000n, 1_000n);
 *   const paid = await client.inference.pay(1n, 2_000n, 1_000n, { maxFee: quote.fee });
 */
import { Attributions } from "./attribution.js";
import { ClientContext, type ClientOptions } from "./context.js";
import { Datanets } from "./datanets.js";
import { Governance } from "./governance.js";
import { Inference } from "./inference.js";
import { Ledger } from "./ledger.js";
import { Models } from "./models.js";
import { Rewards } from "./rewards.js";
import { Staking } from "./staking.js";
import { readStatus, type ProtocolStatus } from "./status.js";
import { Token } from "./token.js";

export class ProtocolClient {
  /** The deployment, provider, signer and typed contracts the client works with. */
  readonly context: ClientContext;
  readonly token: Token;
  readonly staking: Staking;
  readonly governance: Governance;
  readonly datanets: Datanets;
  readonly models: Models;
  readonly inference: Inference;
  readonly attribution: Attributions;
  readonly rewards: Rewards;
  /** The conservation laws, checked on this deployment. */
  readonly ledger: Ledger;

  constructor(options: ClientOptions) {
    this.context = new ClientContext(options);
    this.token = new Token(this.context);
    this.staking = new Staking(this.context);
    this.governance = new Governance(this.context);
    this.datanets = new Datanets(this.context);
    this.models = new Models(this.context, this.governance);
    this.inference = new Inference(this.context);
    this.attribution = new Attributions(this.context, this.inference, this.datanets);
    this.rewards = new Rewards(this.context);
    this.ledger = new Ledger(this.context);
  }

  /** The suite's typed contracts, bound to the signer (or, without one, to the provider). */
  get contracts() {
    return this.context.contracts;
  }

  get deployment() {
    return this.context.deployment;
  }

  /** The same deployment and provider, acting as `signer`. */
  connect(signer: ClientOptions["signer"]): ProtocolClient {
    return new ProtocolClient({
      deployment: this.context.deployment,
      provider: this.context.provider,
      logSpan: this.context.logSpan,
      ...(this.context.indexer === undefined ? {} : { indexer: this.context.indexer.options }),
      ...(signer === undefined ? {} : { signer }),
    });
  }

  /** Refuses with `WrongNetwork` when the provider is on another chain than the deployment (a wallet switched away). */
  checkNetwork(): Promise<void> {
    return this.context.checkNetwork();
  }

  /** The protocol at a glance: parameters, stake, pauses, datanets, models, pending pools, what the router owes. */
  status(): Promise<ProtocolStatus> {
    return readStatus(this.context, this.models);
  }
}

/** A client for `options.deployment`, reading through `options.provider` and acting as `options.signer`. */
export function createClient(options: ClientOptions): ProtocolClient {
  return new ProtocolClient(options);
}
