import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import GovernanceModule from "./Governance.js";
import InferenceModule from "./Inference.js";
import RegistriesModule from "./Registries.js";

/** The whole protocol suite. Every deployment (deploy task, demo, test fixtures) goes through this module. */
export default buildModule("Protocol", (m) => {
  const { openToken, timelock, stakedOpen, governor } = m.useModule(GovernanceModule);
  const { datanetRegistry, modelRegistry } = m.useModule(RegistriesModule);
  const { attributionOracle, inferenceRouter } = m.useModule(InferenceModule);
  return {
    openToken,
    timelock,
    stakedOpen,
    governor,
    datanetRegistry,
    modelRegistry,
    attributionOracle,
    inferenceRouter,
  };
});
