import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import GovernanceModule from "./Governance.js";

const OPEN = 10n ** 18n;

/**
 * Datanets and models, owned by the timelock (which is also their treasury). The guardian may pause
 * contributions and model proposals; only governance unpauses.
 */
export default buildModule("Registries", (m) => {
  const { openToken, timelock } = m.useModule(GovernanceModule);

  const guardian = m.getParameter("guardian", ZeroAddress);
  const minContributionBond = m.getParameter("minContributionBond", 1n * OPEN);
  const maxContributionBond = m.getParameter("maxContributionBond", 10_000n * OPEN);
  const modelProposalBond = m.getParameter("modelProposalBond", 1_000n * OPEN);
  const minRate = m.getParameter("minRate", 0n);
  const maxRate = m.getParameter("maxRate", 100n * OPEN);
  const admin = { governance: timelock, treasury: timelock, guardian };

  const datanetRegistry = m.contract("DatanetRegistry", [openToken, admin, minContributionBond, maxContributionBond]);
  const modelRegistry = m.contract("ModelRegistry", [
    openToken,
    datanetRegistry,
    admin,
    { proposalBond: modelProposalBond, minRate, maxRate },
  ]);

  return { datanetRegistry, modelRegistry };
});
