/**
 * Oracle nodes as the operator runs them, for the oracle tests: `npx hardhat oracle start` child processes
 * (OracleProcess) and a poller (until), from scripts/lib/oracle-nodes.ts, where `npm run demo` starts its nodes.
 */
export { OracleProcess, startOracleNetwork, until, type OracleNetwork } from "../../scripts/lib/oracle-nodes.js";
