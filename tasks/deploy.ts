import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatDuration, formatOpen } from "../sdk/core/format.js";
import { runTask } from "./lib/cli.js";
import { LOCAL_CHAIN_IDS, isInProcess, writeDeployment } from "./lib/context.js";
import { checkDeployParameters, defaultParametersFile, readParameters, requireParametersFile } from "./lib/deploy.js";
import { deploySuite } from "./lib/deploy.js";

interface DeployArgs {
  parameters: string | undefined;
  deploymentId: string | undefined;
  reset: boolean;
}

export default async function deployAction(args: DeployArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const root = hre.config.paths.root;
    const connection = await hre.network.create();
    const file =
      args.parameters !== undefined
        ? path.resolve(args.parameters)
        : defaultParametersFile(root, connection.networkName);
    const { chainId } = await connection.ethers.provider.getNetwork();
    requireParametersFile(connection.networkName, Number(chainId), file);
    const parameters = file === undefined ? {} : await readParameters(file);
    checkDeployParameters(parameters);

    console.log(
      `Deploying the protocol to "${connection.networkName}"${file ? ` with ${path.relative(root, file)}` : " with the default parameters"}…`,
    );
    const record = await deploySuite(connection, parameters, {
      root,
      displayUi: !isInProcess(connection) && process.stdout.isTTY === true,
      reset: args.reset,
      ...(args.deploymentId === undefined ? {} : { deploymentId: args.deploymentId }),
    });

    console.log(`\nChain ${record.chainId}, from block ${record.deployBlock}:`);
    for (const [name, address] of Object.entries(record.addresses)) console.log(`  ${name.padEnd(11)} ${address}`);

    const { ethers } = connection;
    const governor = await ethers.getContractAt("ProtocolGovernor", record.addresses.governor);
    const staked = await ethers.getContractAt("StakedOpen", record.addresses.stakedOpen);
    console.log(
      `\nVoting delay ${formatDuration(await governor.votingDelay())}, voting period ${formatDuration(await governor.votingPeriod())}, ` +
        `threshold ${formatOpen(await governor.proposalThreshold(), "gOPEN")}, quorum ${await governor["quorumNumerator()"]()}%, ` +
        `unstake cooldown ${formatDuration(await staked.cooldown())}, staking rewards streamed over ${formatDuration(await staked.rewardPeriod())} periods.`,
    );
    const guardian = await staked.guardian();
    console.log(
      BigInt(guardian) === 0n
        ? "No guardian: nobody but governance can pause."
        : `Guardian ${guardian} may pause stakes, contributions, proposals, payments and settlement; only governance unpauses.`,
    );

    if (isInProcess(connection)) {
      console.log(
        `\nThe in-process network ends with this command, so no deployment file was written. ` +
          `For a lasting local deployment run \`npx hardhat node --hostname 127.0.0.1\` and \`npx hardhat deploy --network localhost\`.`,
      );
      return;
    }
    const written = await writeDeployment(root, record);
    console.log(`\nWrote ${path.relative(root, written)}.`);
    if (!LOCAL_CHAIN_IDS.has(record.chainId)) {
      console.log(
        `Updated sdk/core/known-deployments.ts: commit both so dapps find chain ${record.chainId} with getDeployment.\n` +
          `Verify the sources: npx hardhat ignition verify ${args.deploymentId ?? `chain-${record.chainId}`} --network ${record.network}`,
      );
    }
  });
}
