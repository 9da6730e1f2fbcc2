import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatDuration, formatOpen, formatTime } from "../../sdk/core/format.js";
import { inferenceIdOf } from "../../sdk/core/inference.js";
import { UserError, parseInferenceId, runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";
import { table } from "../lib/table.js";
import { describeRequestId, requestIdOption } from "./args.js";

interface Args {
  inference: string | undefined;
  requestId: string | undefined;
  payer: string | undefined;
  from: string | undefined;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    if (args.inference === undefined && args.requestId === undefined) {
      throw new UserError(
        "Name the inference by its id, as inference pay prints it (`npx hardhat inference show <inference>`), or by --request-id.",
      );
    }
    if (args.inference !== undefined && args.requestId !== undefined) {
      throw new UserError("Name the inference by its id or by --request-id, not both.");
    }
    if (args.payer !== undefined && args.requestId === undefined)
      throw new UserError("--payer goes with --request-id.");
    const request = requestIdOption(args.requestId);
    const explicitId = args.inference === undefined ? undefined : parseInferenceId(args.inference);
    const { client, signer, connection } = await openProtocol(hre, args.from);
    const payer = args.payer === undefined ? signer.address : await resolveAccount(connection, args.payer, "The payer");
    const inferenceId = explicitId ?? inferenceIdOf(payer, request!.requestId);
    if (request !== undefined && (await client.inference.find(inferenceId)) === undefined) {
      throw new UserError(
        `${payer} paid no inference under request ${describeRequestId(request, request.requestId)}; name another payer with --payer.`,
      );
    }
    const i = await client.inference.inference(inferenceId);

    const status = i.status;
    console.log(`Inference ${inferenceId} — ${status}, model ${i.modelId}, paid ${formatTime(i.paidAt)}`);
    console.log(`  payer        ${i.payer}`);
    console.log(`  request      ${describeRequestId(request, i.requestId)}`);
    if (i.tokens !== undefined) {
      console.log(`  tokens       ${i.tokens.inputTokens} input + ${i.tokens.outputTokens} output`);
    }
    console.log(
      `  fee          ${formatOpen(i.fee)}: creator ${formatOpen(i.creatorShare)}, stakers ${formatOpen(i.stakersShare)}, data pool ${formatOpen(i.pool)}, platform ${formatOpen(i.platformFee)}`,
    );
    if (status === "Pending") {
      const clock = i.paused
        ? "the router is paused: its active clock stands still, so the window does not run out"
        : `closes at ${formatTime(i.closingTime)} unless the router is paused before (a pause extends it)`;
      console.log(
        i.remaining > 0n
          ? `  window       ${formatDuration(i.remaining)} left; ${clock}`
          : `  window       closed: nobody attributed it in time, so anyone may expire it (\`npx hardhat attribution expire ${inferenceId}\`)`,
      );
      return;
    }
    if (i.expiredPool !== undefined) {
      console.log(
        `  expired      nobody attributed it in time: its ${formatOpen(i.expiredPool)} pool went to the treasury`,
      );
      return;
    }
    const t = i.settlement;
    if (t === undefined) return;
    console.log(`  output hash  ${t.outputHash}`);
    console.log(`  index        ${t.indexCommitment}`);
    console.log(`  settled in   ${t.transaction}: ${formatOpen(t.toTreasury)} of the pool to the treasury`);
    const forfeited = new Map(t.forfeited.map((f) => [f.contributionId, f.amount]));
    if (t.contributionIds.length > 0) {
      const rows = t.contributionIds.map((id, k) => {
        const row = [String(id), formatOpen(t.amounts[k] ?? 0n)];
        const lost = forfeited.get(id);
        return forfeited.size === 0 ? row : [...row, lost === undefined ? "" : `${formatOpen(lost)} (penalized)`];
      });
      const header = forfeited.size === 0 ? ["contribution", "credited"] : ["contribution", "credited", "forfeited"];
      console.log(table(header, rows, ["r", "r", "l"]).replace(/^/gm, "  "));
    }
  });
}
