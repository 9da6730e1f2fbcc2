/**
 * The CLI's conventions, checked over every task the project declares (tasks/lib/options.ts): Hardhat 3 groups
 * with subtasks, one example per description, no "(default: )" noise in `--help`, no option taking a name of
 * Hardhat's global options, and the old colon names gone.
 */
import { expect } from "chai";
import { tasks } from "hardhat";
import type { Task } from "hardhat/types/tasks";

import { RESERVED_OPTION_NAMES } from "../../tasks/lib/options.js";
import { spawnCli } from "../helpers/cli.js";

/** The project's tasks (no plugin id), groups and subtasks, depth first. */
function projectTasks(): Task[] {
  const found: Task[] = [];
  const visit = (task: Task) => {
    if (task.pluginId !== undefined) return;
    found.push(task);
    for (const sub of task.subtasks.values()) visit(sub);
  };
  for (const task of tasks.rootTasks.values()) visit(task);
  return found;
}

describe("CLI conventions", function () {
  this.timeout(60_000);

  const all = projectTasks();
  const runnable = all.filter((t) => !t.isEmpty);

  it("declares task groups with subtasks, and no colon names", () => {
    expect(all.filter((t) => t.isEmpty).map((t) => t.id.join(" "))).to.include.members([
      "token",
      "stake",
      "gov",
      "datanet",
      "model",
      "inference",
      "attribution",
      "rewards",
    ]);
    expect(runnable.length).to.be.greaterThan(40);
    expect(all.filter((t) => t.id.some((part) => part.includes(":"))).map((t) => t.id.join(" "))).to.deep.equal([]);
  });

  for (const task of runnable) {
    const name = task.id.join(" ");
    it(`${name}: one pasteable example, no "(default: )" noise, no reserved option name`, () => {
      const examples = task.description.match(/\(e\.g\. npx hardhat /g) ?? [];
      expect(examples, task.description).to.have.length(1);
      expect(task.description).to.contain(`(e.g. npx hardhat ${name}`);
      expect(task.description).not.to.contain("…");
      // `=== ""`, not chai's equal: the toolbox's chai matchers read "" as 0n next to a bigint, so a BIGINT
      // default of 0n would "equal" "" once a test has loaded them.
      for (const option of task.options.values()) {
        expect(RESERVED_OPTION_NAMES, `--${option.name}`).not.to.include(option.name);
        expect(option.defaultValue === "", `--${option.name} has an empty default`).to.equal(false);
      }
      for (const argument of task.positionalArguments) {
        expect(RESERVED_OPTION_NAMES).not.to.include(argument.name);
        expect(argument.defaultValue === "", `${argument.name} has an empty default`).to.equal(false);
      }
    });
  }

  it("prints a subtask's help with its example and no empty default", async () => {
    const { code, stdout } = await spawnCli(["token", "transfer", "--help"]);
    expect(code).to.equal(0);
    expect(stdout).to.contain("(e.g. npx hardhat token transfer 0x");
    expect(stdout).not.to.contain("(default: )");
  });
});
