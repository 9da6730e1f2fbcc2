// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Deployers} from "../utils/Deployers.sol";

/// @notice Fuzz tests of the oracle's published signer set (SignerSet): after any sequence of governance changes the
/// set is sorted and distinct, equals the set a plain model of the operations holds, and the router holds the same
/// word as the oracle — so what settles is checked against exactly the set governance made.
contract SignerSetTest is Deployers {
    address[] internal model;

    function setUp() public {
        _deployAll();
        address[] memory initial = oracle.signers();
        for (uint256 i; i < initial.length; ++i) model.push(initial[i]);
    }

    function _contains(address account) internal view returns (bool) {
        for (uint256 i; i < model.length; ++i) {
            if (model[i] == account) return true;
        }
        return false;
    }

    function _remove(address account) internal {
        for (uint256 i; i < model.length; ++i) {
            if (model[i] == account) {
                model[i] = model[model.length - 1];
                model.pop();
                return;
            }
        }
    }

    function _checkAgainstModel() internal view {
        address[] memory published = oracle.signers();
        assertEq(published.length, model.length, "count");
        for (uint256 i = 1; i < published.length; ++i) {
            assertLt(uint160(published[i - 1]), uint160(published[i]), "sorted and distinct");
        }
        for (uint256 i; i < published.length; ++i) {
            assertTrue(_contains(published[i]), "published signer is in the model");
            assertTrue(oracle.isSigner(published[i]), "isSigner");
        }
        (address data, uint256 count, uint256 needed) = oracle.signerSet();
        (address routerData, uint256 routerCount, uint256 routerNeeded) = router.signerSet();
        assertEq(routerData, data, "router data");
        assertEq(routerCount, count, "router count");
        assertEq(routerNeeded, needed, "router threshold");
        assertEq(data.code.length, 1 + 20 * count, "a STOP byte, then 20 bytes per signer");
        assertEq(uint8(data.code[0]), 0, "the data contract starts with STOP");
    }

    /// Random adds (of addresses drawn from a small range, so removals hit), removals and threshold changes.
    function test_fuzz_setStaysSortedAndInSync(uint256 seed, uint8 steps) public {
        uint256 n = bound(steps, 1, 40);
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            address account = address(uint160(1 + ((r >> 8) % 48)));
            uint256 action = r % 3;
            vm.startPrank(governance);
            if (action == 0 && !_contains(account) && model.length < oracle.MAX_SIGNERS()) {
                oracle.addSigner(account);
                model.push(account);
            } else if (action == 1 && model.length > oracle.threshold()) {
                address victim = model[(r >> 64) % model.length];
                oracle.removeSigner(victim);
                _remove(victim);
            } else if (action == 2) {
                oracle.setThreshold(1 + ((r >> 128) % model.length));
            }
            vm.stopPrank();
            _checkAgainstModel();
        }
    }
}
