/**
 * What the tasks do before they call the client (tasks/lib/context.ts, deploy.ts): deploy the suite and write
 * its record, refuse the in-process network and a missing deployment file, and resolve --from.
 */
import { expect } from "chai";
import hre, { network } from "hardhat";

import { UserError } from "../../tasks/lib/cli.js";
import { clientFor, openProtocol, readDeployment, resolveSigner } from "../../tasks/lib/context.js";
import { deploySuite } from "../../tasks/lib/deploy.js";
import { TEST_PARAMS, suiteParameters } from "../fixtures/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function deployedSuite() {
  return deploySuite(connection, suiteParameters((await ethers.getSigners()).slice(5, 8).map((s) => s.address)), {
    root: hre.config.paths.root,
  });
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error("expected a UserError");
}

describe("task context", () => {
  describe("deploySuite", () => {
    it("returns a record with the chain id, a deploy block and the suite's addresses", async () => {
      const record = await networkHelpers.loadFixture(deployedSuite);
      expect(record.chainId).to.equal(31337);
      expect(record.deployBlock).to.equal(1);
      for (const address of Object.values(record.addresses)) {
        expect(await ethers.provider.getCode(address)).to.not.equal("0x");
      }
      expect(record.parameters.Governance?.votingDelay).to.equal(String(TEST_PARAMS.votingDelay));
    });

    it("gives the tasks a client of the record, acting as the chosen account", async () => {
      const record = await networkHelpers.loadFixture(deployedSuite);
      const [, second] = await ethers.getSigners();
      const client = clientFor(connection, record, second!);
      expect(client.deployment).to.equal(record);
      expect(await client.context.account()).to.equal(second?.address);
      expect((await client.status()).governance.votingDelay).to.equal(TEST_PARAMS.votingDelay);
    });
  });

  describe("openProtocol and readDeployment", () => {
    it("refuses the in-process network, which forgets everything when the command ends", async () => {
      expect(await rejection(openProtocol(hre))).to.match(/lives only inside one command/);
    });

    it("names the missing deployment file and the command that writes it", async () => {
      expect(await rejection(readDeployment(hre.config.paths.root, "nowhere"))).to.equal(
        'There is no deployment for network "nowhere" (deployments/nowhere.json); run `npx hardhat deploy --network nowhere` first.',
      );
    });

    it("resolves --from by index and by address, and refuses unknown ones", async () => {
      const [, second] = await ethers.getSigners();
      expect((await resolveSigner(connection, "1")).address).to.equal(second?.address);
      expect((await resolveSigner(connection, second?.address.toLowerCase() ?? "")).address).to.equal(second?.address);
      expect(await rejection(resolveSigner(connection, "500"))).to.match(/^--from 500 is out of range/);
      expect(await rejection(resolveSigner(connection, "0x000000000000000000000000000000000000dEaD"))).to.match(
        /is not an account this network can sign for/,
      );
    });
  });
});
