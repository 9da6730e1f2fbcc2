/** The protocol client: every user action and read, with its precondition checks and paged event queries. */
export * from "./attribution.js";
export * from "./client.js";
export * from "./context.js";
export * from "./datanets.js";
export * from "./governance.js";
export * from "./indexer.js";
export * from "./inference.js";
export * from "./ledger.js";
export * from "./models.js";
export * from "./rewards.js";
export * from "./staking.js";
export * from "./status.js";
export * from "./token.js";
