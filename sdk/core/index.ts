/**
 * The framework-free core: addresses and deployments, typed bindings, enums, EIP-712, permits, fee math, Merkle
 * trees, inference ids and packed values, short proposal ids and the proposal file, the oracle's file formats,
 * typed errors, conservation laws and paged event queries. No network access of its own beyond what a caller
 * passes in; browser-safe.
 */
export * from "./client-errors.js";
export * from "./conservation.js";
export * from "./contracts.js";
export * from "./deployments.js";
export * from "./eip1271.js";
export * from "./eip712.js";
export * from "./enums.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./fees.js";
export * from "./input.js";
export * from "./format.js";
export * from "./inference.js";
export * from "./merkle.js";
export * from "./numbers.js";
export * from "./permit.js";
export * from "./proposals.js";
export * from "./signed.js";
export * from "./weights.js";
