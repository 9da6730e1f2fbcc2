/**
 * The SDK for dapps: the package's one entry point.
 *
 * - typed contract factories and interfaces, and `connectProtocol(deployment, runner)`;
 * - deployments: `getDeployment(chainId)`, `registerDeployment(record)` for your own chains;
 * - the attribution EIP-712 domain and types, with sign and verify helpers;
 * - `quoteFee` and `sharePool`, mirroring the contracts' math to the wei;
 * - `inferenceIdOf(payer, requestId)`, the id the router gives an inference before it is paid, and
 *   `decodeCredits` for the packed credits of its settlement event;
 * - the datanet Merkle helpers (OpenZeppelin standard tree over contribution ids);
 * - the Proof-of-Attribution engine: tokenizer, suffix-array index, attribution of outputs to contributions.
 */
export * from "./core/contracts.js";
export * from "./core/deployments.js";
export * from "./core/eip712.js";
export * from "./core/fees.js";
export * from "./core/inference.js";
export * from "./core/merkle.js";
export * from "../attribution/index.js";
