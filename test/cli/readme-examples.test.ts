/**
 * Every `npx hardhat …` example the README shows, and the one in each task's description, names a task that exists
 * with options it declares, as many positional arguments as it takes, and (for the README, pasted from the
 * repository's root) input files that exist: the examples are pasteable, not prose that drifts from the CLI.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import { tasks } from "hardhat";
import { ArgumentType } from "hardhat/types/arguments";
import type { Task } from "hardhat/types/tasks";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Hardhat's global options that the examples use (`--network`, `--help`, …), by their names on the command line. */
const GLOBAL_FLAGS = new Set(["help", "verbose", "show-stack-traces"]);
const GLOBAL_OPTIONS = new Set(["network", "config", "build-profile"]);

/** Options whose file is written by the command (or read from a default place), so it need not exist beforehand. */
const OUTPUTS = new Set(["out", "index"]);
/** Text options that name an input file or folder. */
const PATH_OPTIONS = new Set(["contents"]);

/** The `npx hardhat …` commands of the README: inline code, and lines of sh/console blocks; trailing comments cut. */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const found = new Set<string>();
  for (const match of readme.matchAll(/`(npx hardhat [^`\n]+)`/g)) found.add(match[1]!.trim());
  for (const line of readme.split("\n")) {
    const command = /^(?:\$ )?(npx hardhat .+)$/.exec(line.trim())?.[1];
    if (command !== undefined) found.add(command.replace(/\s+#.*$/, "").trim());
  }
  return [...found];
}

/** Splits a command line as a POSIX shell does for plain words and '…' / "…" quotes. */
function words(command: string): string[] {
  const out: string[] = [];
  for (const match of command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(match[1] ?? match[2] ?? match[3]!);
  return out;
}

const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

interface Checked {
  task: Task;
  /** Input paths given to the task (file options and file positionals), for the README's existence check. */
  inputs: string[];
}

/** Resolves and checks one example; throws a sentence naming what is wrong. */
function check(command: string): Checked {
  const argv = words(command).slice(2);
  let task: Task | undefined;
  let i = 0;
  for (let scope = tasks.rootTasks; i < argv.length; i++) {
    const next = scope.get(argv[i]!);
    if (next === undefined) break;
    task = next;
    scope = next.subtasks;
  }
  if (task === undefined) throw new Error(`"${command}" names no task.`);
  if (task.isEmpty) throw new Error(`"${command}" names the group ${task.id.join(" ")}, not a subtask.`);
  const inputs: string[] = [];
  const positionals: string[] = [];
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith("--")) {
      positionals.push(word);
      continue;
    }
    const name = word.slice(2);
    if (GLOBAL_FLAGS.has(name)) continue;
    if (GLOBAL_OPTIONS.has(name)) {
      i++;
      continue;
    }
    const option = task.options.get(camel(name));
    if (option === undefined) throw new Error(`"${command}": ${task.id.join(" ")} has no option --${name}.`);
    if (option.type === ArgumentType.FLAG) continue;
    const value = argv[++i];
    if (value === undefined || value.startsWith("--")) throw new Error(`"${command}": --${name} has no value.`);
    const isFile = option.type === ArgumentType.FILE || option.type === ArgumentType.FILE_WITHOUT_DEFAULT;
    if ((isFile && !OUTPUTS.has(option.name)) || PATH_OPTIONS.has(option.name)) inputs.push(value);
  }
  const declared = task.positionalArguments;
  const variadic = declared.some((a) => a.isVariadic);
  // An argument is optional when it has a default, or is of a type *_WITHOUT_DEFAULT (undefined when left out).
  const required = declared.filter(
    (a) => a.defaultValue === undefined && !a.isVariadic && !String(a.type).endsWith("_WITHOUT_DEFAULT"),
  ).length;
  if (positionals.length < required || (!variadic && positionals.length > declared.length)) {
    throw new Error(
      `"${command}" gives ${positionals.length} positional argument(s); ${task.id.join(" ")} takes ${required} to ${declared.length}.`,
    );
  }
  positionals.forEach((value, index) => {
    const type = declared[Math.min(index, declared.length - 1)]?.type;
    if (type === ArgumentType.FILE || type === ArgumentType.FILE_WITHOUT_DEFAULT) inputs.push(value);
  });
  return { task, inputs };
}

/** A file an earlier example writes: `attribution compute` writes x.weights.json beside x.txt, `sign` x.signed.json. */
function writtenByAnExample(file: string): boolean {
  const signed = file.replace(/\.signed\.json$/, ".json");
  const base = signed.replace(/\.weights\.json$/, ".txt");
  return base !== file && existsSync(path.join(ROOT, base));
}

describe("CLI examples", function () {
  this.timeout(60_000);

  describe("in the README, pasted from the repository's root", () => {
    const commands = readmeCommands();

    it("are many (one per subtask at least)", () => {
      expect(commands.length).to.be.greaterThan(50);
    });

    for (const command of commands) {
      // Placeholders (`<id from inference pay>`) and elisions are prose, not examples to paste.
      if (/[<…]/.test(command)) continue;
      it(command, () => {
        const { inputs } = check(command);
        for (const input of inputs) {
          expect(existsSync(path.join(ROOT, input)) || writtenByAnExample(input), `${input} does not exist`).to.equal(
            true,
          );
        }
      });
    }
  });

  describe("in each task's description", () => {
    const visit = (task: Task, out: Task[]) => {
      if (task.pluginId !== undefined) return;
      if (!task.isEmpty) out.push(task);
      for (const sub of task.subtasks.values()) visit(sub, out);
    };
    const all: Task[] = [];
    for (const task of tasks.rootTasks.values()) visit(task, all);

    for (const task of all) {
      const example = /\(e\.g\. (npx hardhat [^)]+)\)/.exec(task.description)?.[1];
      if (example === undefined) continue;
      it(`${task.id.join(" ")}: ${example}`, () => {
        expect(check(example).task.id).to.deep.equal(task.id);
      });
    }
  });
});
