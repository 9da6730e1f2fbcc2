/** The contracts' enums by value, and their names for messages: one list per enum. */

/** IDatanetRegistry.ContributionStatus. */
export const CONTRIBUTION_STATUSES = ["None", "Pending", "Accepted", "Rejected", "Penalized"] as const;

/** IModelRegistry.ModelState. */
export const MODEL_STATES = [
  "None",
  "Proposed",
  "Approved",
  "Rejected",
  "Trained",
  "Active",
  "Suspended",
  "Retired",
] as const;

/** IInferenceRouter.InferenceStatus. */
export const INFERENCE_STATUSES = ["None", "Pending", "Settled", "Expired"] as const;

export function contributionStatusName(status: bigint | number): string {
  return CONTRIBUTION_STATUSES[Number(status)] ?? `unknown status ${status}`;
}

export function modelStateName(state: bigint | number): string {
  return MODEL_STATES[Number(state)] ?? `unknown state ${state}`;
}

export function inferenceStatusName(status: bigint | number): string {
  return INFERENCE_STATUSES[Number(status)] ?? `unknown status ${status}`;
}
