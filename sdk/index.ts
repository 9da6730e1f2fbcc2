/**
 * The SDK for dapps and services: the package's "." entry point.
 *
 * - `core`: typed contract factories and `connectProtocol(deployment, runner)`; deployments (`getDeployment`,
 *   `registerDeployment`); the contracts' enums with their names; the attribution EIP-712 domain, types and
 *   signing helpers; EIP-2612 permits; `quoteFee` and `sharePool`, mirroring the contracts' math to the wei;
 *   `inferenceIdOf` and `decodeCredits`; the datanet Merkle helpers; the weights file and the signed attribution
 *   formats; `ProtocolError` and the decoder of every custom error; the conservation laws; paged event queries.
 * - `client`: `createClient({ deployment, provider, signer })`, every user action and read with the checks that
 *   refuse bad input before anything is sent.
 *
 * The Proof-of-Attribution engine (tokenizer, suffix-array index, attribution of outputs to contributions) is its
 * own entry, `openledger-protocol/attribution`, so a dapp that only pays never bundles the tokenizer; the client's
 * `attribution.attribute` takes the engine's `attribute` function as an argument for the same reason.
 */
export * from "./core/index.js";
export * from "./client/index.js";
