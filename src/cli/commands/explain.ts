import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Spawn } from '../../execlog/types';
import type { HistoryStore } from '../../store';
import {
  BASELINE_ARG,
  baselineSpawns,
  findHistoryStore,
  invocationSpawns,
  isStoredInvocation,
  explainStreamed,
  findAction,
  renderAction,
  SpawnInterner,
  streamSpawnsForExplain,
  renderSummary,
} from '../../explain';
import { redactActionReport, redactSummary } from '../../explain/redact';
import { UsageError } from '../../util/errors';
import { parseFlags } from '../args';
import type { Command } from '../command';
import { printJson } from '../io';

const HELP = `Usage: rbl explain OLD NEW [--json] [--action OUTPUT_PATH] [--cwd DIR] [--complete]

Explains why the actions of build NEW missed the cache compared with build OLD, down to root
causes: a changed source or tool, env variable, platform property, command line or
configuration, an added or removed action, or a non-hermetic action. Changes that only follow
from another action's changed output are attributed to where the change began.

OLD and NEW are execution logs in any format Bazel writes (--execution_log_binary_file,
--execution_log_json_file, --execution_log_compact_file; detected from the content), or ids
of invocations that \`rbl build\` recorded in the workspace's history store:
  NEW an id     NEW's own spawns
  OLD an id     the baseline as it stood after OLD: the last known spawn of every output set,
                merged over the recorded builds up to OLD (a log never holds what Bazel's
                action cache skipped, the baseline does)
  OLD baseline  the baseline just before NEW (or, for a NEW file, after the last build)

Options:
  --json                  print one JSON object: {"actions": {...}, "rootCauses": [...]}
                          (with --action, also "action": the one action's detail or null)
  --cwd DIR               the workspace whose history store ids refer to (default: .)
  --complete              both logs are complete builds of the same targets (e.g. clean
                          builds): an action missing from NEW is then "removed"
  --action OUTPUT_PATH    also show one action (by any of its output paths): its root
                          causes, the chain from where the change began, and its diff

An action missing from NEW counts as "notRun" (Bazel's action cache may have skipped it)
unless --complete is given or a consumer in NEW lost its output, which shows it was removed.
An action in NEW but not in OLD's log is "added": a log never holds the actions Bazel's
action cache skipped, so compare with a clean build's log or with the baseline.
Values of secret-looking env variables and URL user-info are printed as ***.
Exit codes: 0 explained; 2 unreadable, truncated or corrupt log, or bad usage.
`;

/**
 * Resolves OLD and NEW: execution log files, or invocations of the history store. Log files are
 * streamed, NEW first, then OLD (the engine lets go of spawns that OLD matched as they arrive).
 */
async function resolveSides(
  oldArg: string,
  newArg: string,
  cwd: string,
): Promise<{
  oldSpawns: AsyncIterable<Spawn> | Spawn[];
  newSpawns: AsyncIterable<Spawn> | Spawn[];
}> {
  const store = findHistoryStore(cwd);
  const interner = new SpawnInterner();
  const kindOf = async (arg: string): Promise<'file' | 'invocation'> => {
    const info = await stat(path.resolve(cwd, arg)).catch(() => null);
    if (info?.isFile()) return 'file';
    if (isStoredInvocation(store, arg)) return 'invocation';
    if (info) throw new UsageError(`explain: ${arg}: not a file`);
    throw new UsageError(
      `explain: ${arg}: no such execution log file${store ? ' or invocation id in the history store' : ''}`,
    );
  };
  const newKind = await kindOf(newArg);
  const newSpawns =
    newKind === 'file'
      ? streamSpawnsForExplain(path.resolve(cwd, newArg), interner)
      : await invocationSpawns(store as HistoryStore, newArg);
  if (oldArg === BASELINE_ARG && !(await stat(path.resolve(cwd, oldArg)).catch(() => null))) {
    if (!store) throw new UsageError('explain: baseline: no history store in this workspace');
    const oldSpawns =
      newKind === 'invocation'
        ? await baselineSpawns(store, { before: newArg })
        : await baselineSpawns(store, { upTo: lastId(store) });
    return { oldSpawns, newSpawns };
  }
  const oldKind = await kindOf(oldArg);
  const oldSpawns =
    oldKind === 'file'
      ? streamSpawnsForExplain(path.resolve(cwd, oldArg), interner)
      : await baselineSpawns(store as HistoryStore, { upTo: oldArg });
  return { oldSpawns, newSpawns };
}

/** Passes spawns through, noting whether one writes `output` (for `--action`). */
async function* noting(
  spawns: AsyncIterable<Spawn> | Spawn[],
  output: string | undefined,
  seen: { found: boolean },
): AsyncGenerator<Spawn> {
  for await (const spawn of spawns) {
    if (output !== undefined && !seen.found && writesOutput(spawn, output)) seen.found = true;
    yield spawn;
  }
}

function lastId(store: HistoryStore): string {
  const all = store.list();
  if (all.length === 0) throw new UsageError('explain: baseline: the history store is empty');
  return all[all.length - 1].id;
}

function writesOutput(s: Spawn, output: string): boolean {
  return s.listedOutputs.includes(output) || s.actualOutputs.some((f) => f.path === output);
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Explain cache misses between two builds, down to root causes',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      json: { type: 'boolean' },
      action: { type: 'string' },
      cwd: { type: 'string' },
      complete: { type: 'boolean' },
    });
    if (positionals.length !== 2) {
      throw new UsageError('explain: expected two execution logs, OLD and NEW (see --help)');
    }
    const [oldArg, newArg] = positionals;
    const cwd = values.cwd === undefined ? io.cwd : path.resolve(io.cwd, values.cwd);
    const { oldSpawns, newSpawns } = await resolveSides(oldArg, newArg, cwd);
    const actionPath = values.action;
    const oldWrites = { found: false };
    const newWrites = { found: false };
    const explanation = await explainStreamed(
      noting(oldSpawns, actionPath, oldWrites),
      noting(newSpawns, actionPath, newWrites),
      { bothComplete: values.complete },
    );
    const summary = redactSummary(explanation.summary);
    const found = actionPath === undefined ? null : findAction(explanation, actionPath);
    const action = found && redactActionReport(found);
    if (actionPath !== undefined && !action && !newWrites.found && !oldWrites.found) {
      throw new UsageError(`explain: --action ${actionPath}: no action writes it in either log`);
    }
    if (values.json) {
      printJson(io, actionPath === undefined ? summary : { ...summary, action });
      return 0;
    }
    io.stdout.write(renderSummary(summary));
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
