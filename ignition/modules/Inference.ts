import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import GovernanceModule from "./Governance.js";
import RegistriesModule from "./Registries.js";

const OPEN = 10n ** 18n;
const DAY = 24 * 60 * 60;

/**
 * The attribution oracle and the inference router, owned by the timelock (which is also their treasury).
 * The router releases the stakers' share to gOPEN with a public call, so nothing needs wiring afterwards.
 */
export default buildModule("Inference", (m) => {
  const { openToken, timelock, stakedOpen } = m.useModule(GovernanceModule);
  const { datanetRegistry, modelRegistry } = m.useModule(RegistriesModule);
  // No default: who signs attribution is a deliberate choice of each deployment's parameters file.
  const oracleSigners = m.getParameter<string[]>("oracleSigners");
  const oracleThreshold = m.getParameter("oracleThreshold", 1);
  const guardian = m.getParameter("guardian", ZeroAddress);
  const platformFee = m.getParameter("platformFee", OPEN / 100n);
  const creatorBps = m.getParameter("creatorBps", 4_000);
  const stakersBps = m.getParameter("stakersBps", 2_000);
  const contributorsBps = m.getParameter("contributorsBps", 4_000);
  const attributionThreshold = m.getParameter("attributionThreshold", OPEN / 100n); // 1%
  const attributionWindow = m.getParameter("attributionWindow", 7 * DAY);

  const attributionOracle = m.contract("AttributionOracle", [timelock, oracleSigners, oracleThreshold]);
  const inferenceRouter = m.contract("InferenceRouter", [
    { open: openToken, modelRegistry, datanetRegistry, stakedOpen, oracle: attributionOracle },
    { governance: timelock, treasury: timelock, guardian },
    { platformFee, creatorBps, stakersBps, contributorsBps, attributionThreshold, attributionWindow },
  ]);
  // The deployer binds the oracle to the router once: from then on every change of the signer set reaches it.
  m.call(attributionOracle, "bindRouter", [inferenceRouter]);

  return { attributionOracle, inferenceRouter };
});
