// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";

/// @notice Test only: OpenZeppelin's ERC20Votes on a timestamp clock, minted, burned and delegated by the test.
/// The differential suite drives it and StakedOpen through the same operations (a stake is a mint, an unstake or a
/// slash of stake a burn) and requires every vote query to agree.
contract ReferenceVotes is ERC20, EIP712, ERC20Votes {
    constructor() ERC20("Reference Votes", "rVOTES") EIP712("Reference Votes", "1") {}

    function mint(address account, uint256 amount) external {
        _mint(account, amount);
    }

    function burn(address account, uint256 amount) external {
        _burn(account, amount);
    }

    /// @dev `account` delegates to `delegatee`, as if it had called `delegate` itself.
    function delegateFor(address account, address delegatee) external {
        _delegate(account, delegatee);
    }

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
