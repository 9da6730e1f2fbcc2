// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IModelRegistry} from "../interfaces/IModelRegistry.sol";

/// @title ModelLifecycle — predicates over model states, written once
library ModelLifecycle {
    /// @notice Whether a model in `state` has registered weights: Trained, Active or Suspended. Only such a model can
    /// be the base of a LoRA adapter or be retired.
    function hasWeights(IModelRegistry.ModelState state) internal pure returns (bool) {
        return
            state == IModelRegistry.ModelState.Trained ||
            state == IModelRegistry.ModelState.Active ||
            state == IModelRegistry.ModelState.Suspended;
    }
}
