/**
 * isValidSignatureNow (sdk/core/eip1271.ts) on the in-process network: the contracts' rule off chain — an ECDSA
 * signature that recovers to the signer, or a contract's EIP-1271 isValidSignature answering the magic value.
 */
import { expect } from "chai";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { isValidSignatureNow } from "../../../sdk/core/eip1271.js";

const { ethers } = await network.create();
/** A contract whose every call reverts. */
const REVERTING_CODE = "0x60006000fd";
/** A contract that answers every call with 32 bytes of 0x11: not the magic value. */
const WRONG_MAGIC_CODE = "0x7f" + "11".repeat(32) + "60005260206000f3";

describe("isValidSignatureNow", () => {
  const digest = keccak256(toUtf8Bytes("a digest"));
  const owner = new Wallet(Wallet.createRandom().privateKey);
  const stranger = new Wallet(Wallet.createRandom().privateKey);
  const sign = (w: Wallet) => w.signingKey.sign(digest).serialized;

  it("takes an account's own ECDSA signature, and refuses another's or a malformed one", async () => {
    const provider = ethers.provider;
    expect(await isValidSignatureNow(provider, owner.address, digest, sign(owner))).to.equal(true);
    expect(await isValidSignatureNow(provider, owner.address, digest, sign(stranger))).to.equal(false);
    expect(await isValidSignatureNow(provider, owner.address, digest, "0x1234")).to.equal(false);
    expect(await isValidSignatureNow(provider, owner.address, keccak256("0x01"), sign(owner))).to.equal(false);
  });

  it("takes what a contract's isValidSignature accepts, and refuses what it does not, a revert or a wrong answer", async () => {
    const provider = ethers.provider;
    const wallet = await ethers.deployContract("OwnerSignedWallet", [owner.address]);
    const address = await wallet.getAddress();
    expect(await isValidSignatureNow(provider, address, digest, sign(owner))).to.equal(true);
    expect(await isValidSignatureNow(provider, address, digest, sign(stranger))).to.equal(false);
    expect(await isValidSignatureNow(provider, address, digest, "0x")).to.equal(false);
    for (const code of [REVERTING_CODE, WRONG_MAGIC_CODE]) {
      const target = Wallet.createRandom().address;
      await provider.send("hardhat_setCode", [target, code]);
      expect(await isValidSignatureNow(provider, target, digest, sign(owner)), code).to.equal(false);
    }
  });
});
