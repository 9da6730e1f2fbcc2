import { expect } from "chai";
import { type Interface, MaxUint256, TypedDataEncoder, ZeroAddress, ZeroHash, verifyTypedData } from "ethers";
import { network } from "hardhat";

import { deployProtocol, type Connection } from "../fixtures/protocol.js";
import { OpenToken__factory } from "../../types/ethers-contracts/index.js";
import { OPEN_SUPPLY, open } from "../helpers/constants.js";
import { PERMIT_TYPES, domainOf, signOwnPermit, signPermit } from "../helpers/signatures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const ALICE_FUNDS = open(1_000n);

async function openTokenFixture(conn: Connection) {
  const protocol = await deployProtocol(conn);
  await protocol.openToken.transfer(protocol.alice, ALICE_FUNDS);
  return protocol;
}

/** A deadline comfortably in the future of the local chain. */
async function futureDeadline(): Promise<bigint> {
  return BigInt(await networkHelpers.time.latest()) + 3_600n;
}

describe("OpenToken", () => {
  describe("metadata", () => {
    it("is named Open with symbol OPEN", async () => {
      const { openToken } = await networkHelpers.loadFixture(openTokenFixture);
      expect(await openToken.name()).to.equal("Open");
      expect(await openToken.symbol()).to.equal("OPEN");
    });

    it("has 18 decimals", async () => {
      const { openToken } = await networkHelpers.loadFixture(openTokenFixture);
      expect(await openToken.decimals()).to.equal(18n);
    });
  });

  describe("supply", () => {
    it("exposes INITIAL_SUPPLY of 1,000,000,000 OPEN", async () => {
      const { openToken } = await networkHelpers.loadFixture(openTokenFixture);
      expect(await openToken.INITIAL_SUPPLY()).to.equal(OPEN_SUPPLY);
    });

    it("mints the whole supply to the deployment's recipient (the deployer in the fixture)", async () => {
      const { openToken, deployer, alice } = await networkHelpers.loadFixture(openTokenFixture);
      expect(await openToken.totalSupply()).to.equal(OPEN_SUPPLY);
      expect(await openToken.balanceOf(deployer)).to.equal(OPEN_SUPPLY - ALICE_FUNDS);
      expect(await openToken.balanceOf(alice)).to.equal(ALICE_FUNDS);
    });

    it("mints to a recipient other than the deployer, emitting Transfer from the zero address", async () => {
      const { deployer, bob } = await networkHelpers.loadFixture(openTokenFixture);
      const token = await new OpenToken__factory(deployer).deploy(bob.address);
      await expect(token.deploymentTransaction())
        .to.emit(token, "Transfer")
        .withArgs(ZeroAddress, bob.address, OPEN_SUPPLY);
      expect(await token.balanceOf(bob)).to.equal(OPEN_SUPPLY);
      expect(await token.balanceOf(deployer)).to.equal(0n);
      expect(await token.totalSupply()).to.equal(OPEN_SUPPLY);
    });

    it("has no mint function in its ABI", async () => {
      const { openToken } = await networkHelpers.loadFixture(openTokenFixture);
      // Widened to the untyped ABI so that names absent from the typed binding can be looked up.
      const abi: Interface = openToken.interface;
      const functionNames: string[] = [];
      abi.forEachFunction((fragment) => functionNames.push(fragment.name));
      expect(functionNames).to.include("burn");
      expect(functionNames.filter((name) => name.toLowerCase().includes("mint"))).to.deep.equal([]);
      expect(abi.getFunction("mint")).to.equal(null);
    });
  });

  describe("what it leaves out", () => {
    it("has only the ERC-20, EIP-2612 and burn surface: no owner, no pause, no rescue of tokens", async () => {
      const { openToken } = await networkHelpers.loadFixture(openTokenFixture);
      const abi: Interface = openToken.interface;
      const functionNames: string[] = [];
      abi.forEachFunction((fragment) => functionNames.push(fragment.name));
      expect(functionNames.sort()).to.deep.equal(
        [
          "DOMAIN_SEPARATOR",
          "INITIAL_SUPPLY",
          "allowance",
          "approve",
          "balanceOf",
          "burn",
          "burnFrom",
          "decimals",
          "eip712Domain",
          "name",
          "nonces",
          "permit",
          "symbol",
          "totalSupply",
          "transfer",
          "transferFrom",
        ].sort(),
      );
    });

    it("keeps forever the OPEN sent to its own address, which is why reward claims refuse it as a recipient", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      await expect(openToken.connect(alice).transfer(openToken, open(1n))).to.changeTokenBalances(
        ethers,
        openToken,
        [alice, openToken],
        [-open(1n), open(1n)],
      );
      // The token never approves anyone, so nobody can move or even burn what it holds.
      expect(await openToken.allowance(openToken, bob)).to.equal(0n);
      await expect(openToken.connect(bob).burnFrom(openToken, 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(bob.address, 0n, 1n);
      await expect(openToken.connect(bob).transferFrom(openToken, bob, 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(bob.address, 0n, 1n);
    });
  });

  describe("burn", () => {
    it("destroys the holder's tokens and the supply", async () => {
      const { openToken, alice } = await networkHelpers.loadFixture(openTokenFixture);
      const amount = open(100n);
      await expect(openToken.connect(alice).burn(amount)).to.changeTokenBalances(ethers, openToken, [alice], [-amount]);
      expect(await openToken.totalSupply()).to.equal(OPEN_SUPPLY - amount);
    });

    it("emits Transfer to the zero address", async () => {
      const { openToken, alice } = await networkHelpers.loadFixture(openTokenFixture);
      await expect(openToken.connect(alice).burn(open(1n)))
        .to.emit(openToken, "Transfer")
        .withArgs(alice.address, ZeroAddress, open(1n));
    });

    it("reverts with ERC20InsufficientBalance when burning more than the balance", async () => {
      const { openToken, alice } = await networkHelpers.loadFixture(openTokenFixture);
      await expect(openToken.connect(alice).burn(ALICE_FUNDS + 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientBalance")
        .withArgs(alice.address, ALICE_FUNDS, ALICE_FUNDS + 1n);
    });
  });

  describe("burnFrom", () => {
    it("burns the holder's tokens within the allowance and spends the allowance", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      await openToken.connect(alice).approve(bob, open(300n));
      await expect(openToken.connect(bob).burnFrom(alice, open(100n))).to.changeTokenBalances(
        ethers,
        openToken,
        [alice, bob],
        [-open(100n), 0n],
      );
      expect(await openToken.allowance(alice, bob)).to.equal(open(200n));
      expect(await openToken.totalSupply()).to.equal(OPEN_SUPPLY - open(100n));
    });

    it("leaves an infinite allowance untouched", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      await openToken.connect(alice).approve(bob, MaxUint256);
      await openToken.connect(bob).burnFrom(alice, open(100n));
      expect(await openToken.allowance(alice, bob)).to.equal(MaxUint256);
    });

    it("reverts with ERC20InsufficientAllowance when burning more than the allowance", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      await openToken.connect(alice).approve(bob, open(10n));
      await expect(openToken.connect(bob).burnFrom(alice, open(10n) + 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(bob.address, open(10n), open(10n) + 1n);
    });

    it("reverts with ERC20InsufficientBalance when the allowance exceeds the balance", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      await openToken.connect(alice).approve(bob, MaxUint256);
      await expect(openToken.connect(bob).burnFrom(alice, ALICE_FUNDS + 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientBalance")
        .withArgs(alice.address, ALICE_FUNDS, ALICE_FUNDS + 1n);
    });
  });

  describe("ERC-20 errors", () => {
    it("reverts transfer with ERC20InsufficientBalance when overspending", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      await expect(openToken.connect(alice).transfer(bob, ALICE_FUNDS + 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientBalance")
        .withArgs(alice.address, ALICE_FUNDS, ALICE_FUNDS + 1n);
    });

    it("reverts transferFrom with ERC20InsufficientAllowance when spending over the allowance", async () => {
      const { openToken, alice, bob, carol } = await networkHelpers.loadFixture(openTokenFixture);
      await openToken.connect(alice).approve(bob, open(5n));
      await expect(openToken.connect(bob).transferFrom(alice, carol, open(6n)))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(bob.address, open(5n), open(6n));
    });

    it("reverts transfer to the zero address with ERC20InvalidReceiver", async () => {
      const { openToken, alice } = await networkHelpers.loadFixture(openTokenFixture);
      await expect(openToken.connect(alice).transfer(ZeroAddress, 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InvalidReceiver")
        .withArgs(ZeroAddress);
    });

    it("reverts approve of the zero address with ERC20InvalidSpender", async () => {
      const { openToken, alice } = await networkHelpers.loadFixture(openTokenFixture);
      await expect(openToken.connect(alice).approve(ZeroAddress, 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InvalidSpender")
        .withArgs(ZeroAddress);
    });
  });

  describe("permit", () => {
    it("reports its EIP-712 domain through eip712Domain() and DOMAIN_SEPARATOR matches it", async () => {
      const { openToken } = await networkHelpers.loadFixture(openTokenFixture);
      const domain = await openToken.eip712Domain();
      const { chainId } = await ethers.provider.getNetwork();
      expect(domain.fields).to.equal("0x0f");
      expect(domain.name).to.equal("Open");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal(chainId);
      expect(domain.verifyingContract).to.equal(await openToken.getAddress());
      expect(domain.salt).to.equal(ZeroHash);
      expect(domain.extensions).to.deep.equal([]);
      expect(await openToken.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(await domainOf(openToken)));
    });

    it("sets the allowance from the owner's signature, submitted by anyone, and emits Approval", async () => {
      const { openToken, alice, bob, carol } = await networkHelpers.loadFixture(openTokenFixture);
      const deadline = await futureDeadline();
      const { v, r, s } = await signOwnPermit(openToken, alice, bob.address, open(42n), deadline);
      await expect(openToken.connect(carol).permit(alice, bob, open(42n), deadline, v, r, s))
        .to.emit(openToken, "Approval")
        .withArgs(alice.address, bob.address, open(42n));
      expect(await openToken.allowance(alice, bob)).to.equal(open(42n));
    });

    it("increments the owner's nonce", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      const deadline = await futureDeadline();
      const { v, r, s } = await signOwnPermit(openToken, alice, bob.address, 1n, deadline);
      expect(await openToken.nonces(alice)).to.equal(0n);
      await openToken.permit(alice, bob, 1n, deadline, v, r, s);
      expect(await openToken.nonces(alice)).to.equal(1n);
    });

    it("lets the spender move the permitted amount", async () => {
      const { openToken, alice, bob, carol } = await networkHelpers.loadFixture(openTokenFixture);
      const deadline = await futureDeadline();
      const { v, r, s } = await signOwnPermit(openToken, alice, bob.address, open(42n), deadline);
      await openToken.connect(bob).permit(alice, bob, open(42n), deadline, v, r, s);
      await expect(openToken.connect(bob).transferFrom(alice, carol, open(42n))).to.changeTokenBalances(
        ethers,
        openToken,
        [alice, carol],
        [-open(42n), open(42n)],
      );
    });

    it("accepts a permit in the very second of its deadline", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      const deadline = await futureDeadline();
      const { v, r, s } = await signOwnPermit(openToken, alice, bob.address, 7n, deadline);
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await openToken.permit(alice, bob, 7n, deadline, v, r, s);
      expect(await openToken.allowance(alice, bob)).to.equal(7n);
    });

    it("reverts with ERC2612ExpiredSignature after the deadline", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      const deadline = await futureDeadline();
      const { v, r, s } = await signOwnPermit(openToken, alice, bob.address, 7n, deadline);
      await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
      await expect(openToken.permit(alice, bob, 7n, deadline, v, r, s))
        .to.be.revertedWithCustomError(openToken, "ERC2612ExpiredSignature")
        .withArgs(deadline);
    });

    it("reverts with ERC2612InvalidSigner when someone other than the owner signed", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      const deadline = await futureDeadline();
      const message = { owner: alice.address, spender: bob.address, value: 7n, nonce: 0n, deadline };
      const { v, r, s } = await signPermit(openToken, bob, message);
      await expect(openToken.permit(alice, bob, 7n, deadline, v, r, s))
        .to.be.revertedWithCustomError(openToken, "ERC2612InvalidSigner")
        .withArgs(bob.address, alice.address);
    });

    it("reverts with ERC2612InvalidSigner when a permit is replayed (the nonce moved on)", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      const deadline = await futureDeadline();
      const { message, signature, v, r, s } = await signOwnPermit(openToken, alice, bob.address, 7n, deadline);
      await openToken.permit(alice, bob, 7n, deadline, v, r, s);
      // The contract now hashes nonce 1, so the signature recovers to an unrelated address.
      const recovered = verifyTypedData(await domainOf(openToken), PERMIT_TYPES, { ...message, nonce: 1n }, signature);
      expect(recovered).to.not.equal(alice.address);
      await expect(openToken.permit(alice, bob, 7n, deadline, v, r, s))
        .to.be.revertedWithCustomError(openToken, "ERC2612InvalidSigner")
        .withArgs(recovered, alice.address);
    });

    it("reverts with ERC2612InvalidSigner when the submitted value differs from the signed one", async () => {
      const { openToken, alice, bob } = await networkHelpers.loadFixture(openTokenFixture);
      const deadline = await futureDeadline();
      const { message, signature, v, r, s } = await signOwnPermit(openToken, alice, bob.address, 7n, deadline);
      const recovered = verifyTypedData(await domainOf(openToken), PERMIT_TYPES, { ...message, value: 8n }, signature);
      await expect(openToken.permit(alice, bob, 8n, deadline, v, r, s))
        .to.be.revertedWithCustomError(openToken, "ERC2612InvalidSigner")
        .withArgs(recovered, alice.address);
    });
  });
});
