/**
 * EIP-1271 on both sides of an oracle node, as the contracts allow it (OpenZeppelin's SignatureChecker): a node whose
 * registered signer is a contract (a smart account accepting its owner's signatures) co-signs settlements with an
 * ordinary node, and a model creator whose account is a contract (its owner's key signs the outputs) is accepted.
 * Real `npx hardhat oracle start` processes against a real `hardhat node`; the wallet is contracts/mocks'
 * OwnerSignedWallet.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { ContractFactory, JsonRpcSigner, Wallet, type Signer } from "ethers";

import { countTokens } from "../../attribution/index.js";
import { outputDomain, outputHashOf, signInferenceOutput } from "../../sdk/core/eip712.js";
import { inferenceIdOf, requestIdOf } from "../../sdk/core/inference.js";
import { CliNode, freePort, spawnCli } from "../helpers/cli.js";
import { CONTRIBUTIONS, ORACLE_ACCOUNTS, PAYER, nodeKey, setUpInferenceWorld } from "../helpers/cli-inference.js";
import { OracleProcess, until } from "../helpers/oracle.js";

const CREATOR = 1;
/** The key that owns the oracle's signer contract, and the key that owns the creator's account contract. */
const WALLET_OWNER = 30;
const CREATOR_OWNER = 31;

describe("oracle nodes and EIP-1271 contract signers", function () {
  this.timeout(10 * 60_000);
  let cli: CliNode;
  let dir: string;
  let wallet: string;
  const nodes: OracleProcess[] = [];

  /** Deploys an OwnerSignedWallet owned by account `owner` of the node's mnemonic; returns its address. */
  async function ownerSignedWallet(owner: number): Promise<string> {
    const artifact = await cli.hre.artifacts.readArtifact("OwnerSignedWallet");
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, cli.signer(0));
    const deployed = await factory.deploy(new Wallet(nodeKey(owner)).address);
    await deployed.waitForDeployment();
    return deployed.getAddress();
  }

  /** The timelock, which owns the oracle, impersonated on the local node. */
  async function governance(): Promise<Signer> {
    const timelock = cli.deployment.addresses.timelock;
    await cli.rpc("hardhat_impersonateAccount", [timelock]);
    await cli.rpc("hardhat_setBalance", [timelock, "0x8ac7230489e80000"]);
    return new JsonRpcSigner(cli.provider, timelock);
  }

  const nodeArgs = (port: number, peer: number, name: string) => [
    "--network",
    "e2e",
    "--deployment",
    path.join(cli.hre.config.paths.root, "deployments", "oracle-1271.json"),
    "--port",
    String(port),
    "--peers",
    `http://127.0.0.1:${peer}`,
    "--data-dir",
    path.join(dir, name),
    "--confirmations",
    "1",
    "--slot",
    "1000",
    "--max-batch-delay",
    "500",
    "--poll",
    "200",
  ];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "oracle-1271-"));
    for (const [id, c] of Object.entries(CONTRIBUTIONS)) await writeFile(path.join(dir, `${id}.txt`), c.text);
    cli = await CliNode.start("oracle-1271");
    await setUpInferenceWorld(cli, (id) => pathToFileURL(path.join(dir, `${id}.txt`)).href);
    wallet = await ownerSignedWallet(WALLET_OWNER);
    // The owner's key sends the contract node's settlements: it needs ETH for gas.
    await cli.rpc("hardhat_setBalance", [new Wallet(nodeKey(WALLET_OWNER)).address, "0x8ac7230489e80000"]);
    const oracle = cli.client(0).contracts.attributionOracle.connect(await governance());
    await (await oracle.addSigner(wallet)).wait();
    // The creator's account becomes a contract whose owner's key signs for it, as an EIP-7702 account would.
    const creatorWallet = await ownerSignedWallet(CREATOR_OWNER);
    const creator = await cli.signer(CREATOR).getAddress();
    await cli.rpc("hardhat_setCode", [creator, await cli.provider.getCode(creatorWallet)]);
    await cli.rpc("evm_setIntervalMining", [1000]);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop("SIGTERM")));
    if (process.env.ORACLE_TEST_LOGS !== undefined) {
      for (const n of nodes) await writeFile(path.join(process.env.ORACLE_TEST_LOGS, `1271 ${n.name}.log`), n.text);
    }
    await cli?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("refuses a signer contract that does not take the key's signatures, in one sentence", async () => {
    const key = nodeKey(ORACLE_ACCOUNTS[0]);
    const { code, stderr } = await spawnCli(
      ["oracle", "start", ...nodeArgs(await freePort(), 1, "refused"), "--signer-contract", wallet],
      { E2E_RPC_URL: cli.url, ORACLE_PRIVATE_KEY: key },
    );
    expect(code, stderr).to.equal(1);
    expect(stderr.trim()).to.equal(
      `Error: The signer contract ${wallet} does not accept signatures of ${new Wallet(key).address} as its own (EIP-1271 isValidSignature): is this key one of its owners?`,
    );
  });

  it("settles with a contract signer and an account, for a creator whose account is a contract", async () => {
    const [a, b] = [await freePort(), await freePort()];
    nodes.push(
      new OracleProcess("account node", a, nodeArgs(a, b, "account"), {
        E2E_RPC_URL: cli.url,
        ORACLE_PRIVATE_KEY: nodeKey(ORACLE_ACCOUNTS[0]),
      }),
      new OracleProcess("contract node", b, [...nodeArgs(b, a, "contract"), "--signer-contract", wallet], {
        E2E_RPC_URL: cli.url,
        ORACLE_PRIVATE_KEY: nodeKey(WALLET_OWNER),
      }),
    );
    await Promise.all(nodes.map((n) => n.start()));
    const health = (await (await fetch(`${nodes[1]!.url}/health`)).json()) as { signer: string };
    expect(health.signer).to.equal(wallet);

    const domain = outputDomain(cli.deployment.chainId, cli.deployment.addresses.inferenceRouter);
    const owner = new Wallet(nodeKey(CREATOR_OWNER));
    const paid: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      const text = `Answer ${i}: ${CONTRIBUTIONS[1].text.replace(/^Precedent \d: /, "")}`;
      const requestId = requestIdOf(`oracle-1271 ${i}`)!;
      await cli.client(PAYER).inference.pay(1n, 100n, BigInt(countTokens(text)), { requestId });
      const id = inferenceIdOf(await cli.signer(PAYER).getAddress(), requestId);
      paid.push(id);
      const output = { inferenceId: id, outputHash: outputHashOf(text) };
      // Anyone else's signature is refused; the creator contract's owner signs for it.
      const stranger = await signInferenceOutput(domain, output, new Wallet(nodeKey(32)));
      const refused = await nodes[0]!.post("/outputs", { inferenceId: id.toString(), text, signature: stranger });
      expect(refused.status).to.equal(403);
      const signature = await signInferenceOutput(domain, output, owner);
      for (const node of nodes) {
        const answer = await node.post("/outputs", { inferenceId: id.toString(), text, signature });
        expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
      }
    }
    const router = cli.client(0).contracts.inferenceRouter;
    await until("the inferences to settle", async () => {
      const statuses = await Promise.all(paid.map((id) => cli.client(0).inference.find(id)));
      return statuses.every((s) => s?.status === "Settled");
    });
    // Each settlement carried the contract's signature (the router checked it with isValidSignature).
    for (const id of paid) {
      const [event] = await router.queryFilter(router.filters.InferenceSettled(id), cli.deployment.deployBlock);
      const tx = await cli.provider.getTransaction(event!.transactionHash);
      const call = router.interface.parseTransaction({ data: tx!.data })!;
      const signers = [...(call.args[1] as { signer: string }[])].map((s) => s.signer);
      expect(signers).to.include(wallet);
      expect(signers).to.include(new Wallet(nodeKey(ORACLE_ACCOUNTS[0])).address);
    }
  });
});
