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
 * - the Proof-of-Attribution engine (tokenizer, suffix-array index, attribution of outputs to contributions), until
 *   it moves to its own subpath export.
 */
export * from "./core/index.js";
export * from "./client/index.js";
export * from "../attribution/index.js";
