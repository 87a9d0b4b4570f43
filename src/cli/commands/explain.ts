import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Spawn } from '../../execlog/types';
import {
  explainSpawns,
  findAction,
  readSpawnsForExplain,
  renderAction,
  renderSummary,
} from '../../explain';
import { UsageError } from '../../util/errors';
import { parseFlags } from '../args';
import type { Command } from '../command';
import { printJson } from '../io';

const HELP = `Usage: rbl explain OLD NEW [--json] [--action OUTPUT_PATH]

Explains why the actions of build NEW missed the cache compared with build OLD, down to root
causes: a changed source or tool, env variable, platform property, command line or
configuration, an added or removed action, or a non-hermetic action. Changes that only follow
from another action's changed output are attributed to where the change began.

OLD and NEW are execution logs in any format Bazel writes (--execution_log_binary_file,
--execution_log_json_file, --execution_log_compact_file; detected from the content).

Options:
  --json                  print one JSON object: {"actions": {...}, "rootCauses": [...]}
                          (with --action, also "action": the one action's detail or null)
  --action OUTPUT_PATH    also show one action (by any of its output paths): its root
                          causes, the chain from where the change began, and its diff

An action missing from NEW counts as "notRun" (Bazel's action cache may have skipped it)
unless a consumer in NEW lost its output, which shows it was removed.
Exit codes: 0 explained; 2 unreadable, truncated or corrupt log, or bad usage.
`;

/** Resolves OLD or NEW to spawns: an execution log file. */
async function spawnsOf(arg: string, cwd: string): Promise<Spawn[]> {
  const file = path.resolve(cwd, arg);
  const info = await stat(file).catch(() => null);
  // TODO(store): invocation ids resolve through the history store's baseline once it lands.
  if (!info) throw new UsageError(`explain: ${arg}: no such execution log file`);
  if (!info.isFile()) throw new UsageError(`explain: ${arg}: not a file`);
  return readSpawnsForExplain(file);
}

function writesOutput(spawns: Spawn[], output: string): boolean {
  return spawns.some(
    (s) => s.listedOutputs.includes(output) || s.actualOutputs.some((f) => f.path === output),
  );
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Explain cache misses between two builds, down to root causes',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      json: { type: 'boolean' },
      action: { type: 'string' },
    });
    if (positionals.length !== 2) {
      throw new UsageError('explain: expected two execution logs, OLD and NEW (see --help)');
    }
    const [oldArg, newArg] = positionals;
    const oldSpawns = await spawnsOf(oldArg, io.cwd);
    const newSpawns = await spawnsOf(newArg, io.cwd);
    const explanation = explainSpawns(oldSpawns, newSpawns);
    const actionPath = values.action;
    const action = actionPath === undefined ? undefined : findAction(explanation, actionPath);
    if (
      actionPath !== undefined &&
      !action &&
      !writesOutput(newSpawns, actionPath) &&
      !writesOutput(oldSpawns, actionPath)
    ) {
      throw new UsageError(`explain: --action ${actionPath}: no action writes it in either log`);
    }
    if (values.json) {
      printJson(
        io,
        actionPath === undefined
          ? explanation.summary
          : { ...explanation.summary, action: action ?? null },
      );
      return 0;
    }
    io.stdout.write(renderSummary(explanation.summary));
    if (actionPath !== undefined) {
      io.stdout.write(
        action
          ? `\n${renderAction(action)}`
          : `\nAction ${actionPath}: unchanged, or not run in NEW (no difference to explain).\n`,
      );
    }
    return 0;
  },
};
