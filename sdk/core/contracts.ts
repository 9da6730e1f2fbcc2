/**
 * Typed ethers v6 bindings of the suite and a helper that connects all of them to one deployment. The types are
 * TypeChain's (generated at `hardhat build`); the contracts are made from the ABIs alone (sdk/core/abis.ts), so a
 * dapp's bundle carries no deployment bytecode. The factories, which can also deploy, stay exported for tools that
 * need them; each is imported from its own generated file, never from the TypeChain index, which also exports the
 * test-only mocks.
 */
import { Contract, type ContractRunner } from "ethers";

import type { ProtocolGovernor } from "../../types/ethers-contracts/governance/ProtocolGovernor.js";
import type { ProtocolTimelock } from "../../types/ethers-contracts/governance/ProtocolTimelock.js";
import type { StakedOpen } from "../../types/ethers-contracts/governance/StakedOpen.js";
import type { AttributionOracle } from "../../types/ethers-contracts/inference/AttributionOracle.js";
import type { InferenceRouter } from "../../types/ethers-contracts/inference/InferenceRouter.js";
import type { DatanetRegistry } from "../../types/ethers-contracts/registry/DatanetRegistry.js";
import type { ModelRegistry } from "../../types/ethers-contracts/registry/ModelRegistry.js";
import type { OpenToken } from "../../types/ethers-contracts/token/OpenToken.js";
import { ABIS } from "./abis.js";
import { CONTRACT_NAMES, type ContractName, type DeploymentRecord } from "./deployments.js";

export { ABIS };
export { ProtocolGovernor__factory } from "../../types/ethers-contracts/factories/governance/ProtocolGovernor__factory.js";
export { ProtocolTimelock__factory } from "../../types/ethers-contracts/factories/governance/ProtocolTimelock__factory.js";
export { StakedOpen__factory } from "../../types/ethers-contracts/factories/governance/StakedOpen__factory.js";
export { AttributionOracle__factory } from "../../types/ethers-contracts/factories/inference/AttributionOracle__factory.js";
export { InferenceRouter__factory } from "../../types/ethers-contracts/factories/inference/InferenceRouter__factory.js";
export { DatanetRegistry__factory } from "../../types/ethers-contracts/factories/registry/DatanetRegistry__factory.js";
export { ModelRegistry__factory } from "../../types/ethers-contracts/factories/registry/ModelRegistry__factory.js";
export { OpenToken__factory } from "../../types/ethers-contracts/factories/token/OpenToken__factory.js";
export { IAttributionOracle__factory } from "../../types/ethers-contracts/factories/interfaces/IAttributionOracle__factory.js";
export { IDatanetRegistry__factory } from "../../types/ethers-contracts/factories/interfaces/IDatanetRegistry__factory.js";
export { IInferenceRouter__factory } from "../../types/ethers-contracts/factories/interfaces/IInferenceRouter__factory.js";
export { IModelRegistry__factory } from "../../types/ethers-contracts/factories/interfaces/IModelRegistry__factory.js";
export { IStakedOpen__factory } from "../../types/ethers-contracts/factories/interfaces/IStakedOpen__factory.js";
export type { IAttributionOracle } from "../../types/ethers-contracts/interfaces/IAttributionOracle.js";
export type { IDatanetRegistry } from "../../types/ethers-contracts/interfaces/IDatanetRegistry.js";
export type { IInferenceRouter } from "../../types/ethers-contracts/interfaces/IInferenceRouter.js";
export type { IModelRegistry } from "../../types/ethers-contracts/interfaces/IModelRegistry.js";
export type { IStakedOpen } from "../../types/ethers-contracts/interfaces/IStakedOpen.js";

export type {
  AttributionOracle,
  DatanetRegistry,
  InferenceRouter,
  ModelRegistry,
  OpenToken,
  ProtocolGovernor,
  ProtocolTimelock,
  StakedOpen,
};

/** Every contract of one deployment, typed, by the name deployments use. */
export interface ProtocolContracts {
  openToken: OpenToken;
  timelock: ProtocolTimelock;
  stakedOpen: StakedOpen;
  governor: ProtocolGovernor;
  datanetRegistry: DatanetRegistry;
  modelRegistry: ModelRegistry;
  attributionOracle: AttributionOracle;
  inferenceRouter: InferenceRouter;
}

// Every name a deployment uses has its contract type, and nothing else.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const complete: Exact<keyof ProtocolContracts, ContractName> = true;
void complete;

/**
 * Connects the typed contracts of `deployment` to `runner`: a provider for reads, a signer to send
 * transactions.
 */
export function connectProtocol(deployment: DeploymentRecord, runner: ContractRunner): ProtocolContracts {
  const connect = <Name extends ContractName>(name: Name) =>
    new Contract(deployment.addresses[name], ABIS[name], runner) as unknown as ProtocolContracts[Name];
  return Object.fromEntries(CONTRACT_NAMES.map((name) => [name, connect(name)])) as unknown as ProtocolContracts;
}
