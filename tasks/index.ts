/**
 * The CLI, as Hardhat 3 task groups: `npx hardhat <group> <subtask> [options] [positional arguments]`, like
 * `hardhat keystore set`. Every task reads the suite's addresses from deployments/<network>.json, calls the SDK
 * client and prints what happened; on bad input it prints one sentence, sends nothing and exits with status 1.
 * Each group declares its subtasks in tasks/<group>/tasks.ts, next to their actions, which are loaded lazily so
 * `npx hardhat` starts fast. The option conventions are in tasks/lib/options.ts.
 */
import { task } from "hardhat/config";

import { attributionTasks } from "./attribution/tasks.js";
import { datanetTasks } from "./datanet/tasks.js";
import { govTasks } from "./gov/tasks.js";
import { inferenceTasks } from "./inference/tasks.js";
import { file, text } from "./lib/options.js";
import { modelTasks } from "./model/tasks.js";
import { oracleTasks } from "./oracle/tasks.js";
import { rewardsTasks } from "./rewards/tasks.js";
import { stakeTasks } from "./stake/tasks.js";
import { tokenTasks } from "./token/tasks.js";

export const taskDeclarations = [
  task(
    "deploy",
    "Deploy the protocol suite with Ignition and write deployments/<network>.json (e.g. npx hardhat deploy --network localhost)",
  )
    .addOption(
      file("parameters", "Ignition parameters file (default: ignition/parameters/<network>.json if it exists)"),
    )
    .addOption(
      text(
        "deploymentId",
        "Ignition deployment id: the journal folder under ignition/deployments (default: chain-<id>)",
      ),
    )
    .addFlag({ name: "reset", description: "Discard the Ignition journal and deploy afresh" })
    .setAction(() => import("./deploy.js"))
    .build(),

  task(
    "status",
    "Show the protocol at a glance: parameters, stake, rewards, pauses, datanets, models, pending pools (e.g. npx hardhat status --network localhost)",
  )
    .setAction(() => import("./status.js"))
    .build(),

  ...tokenTasks,
  ...stakeTasks,
  ...govTasks,
  ...datanetTasks,
  ...modelTasks,
  ...inferenceTasks,
  ...attributionTasks,
  ...rewardsTasks,
  ...oracleTasks,
];
