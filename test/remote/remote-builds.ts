// Shared steps of the remote tier's real-Bazel tests: build the example through `rbl build --json`
// against a remote endpoint with an execution log, and read back what Bazel said and logged and
// what rbl made of it.
import * as path from 'node:path';
import { readLog } from '../../src/logs';
import type { Spawn } from '../../src/execlog';
import type { InvocationSummary } from '../../src/model/types';
import { rblCommand, summaryOf } from '../bazel/engine-rbl';
import { describeRun, runBazel, type BazelRun, type Workspace } from '../helpers/bazel';
import { rblBuildWrapper } from '../helpers/scenarios';
import { parseProcessesLine, type ProcessesLine } from '../helpers/processes-line';

/** Targets that build everywhere (no failing or gated targets, no tests). */
export const REMOTE_TARGETS = ['//gen:all', '//cc:all', '//env:all'];

export interface RemoteBuild {
  run: BazelRun;
  processes: ProcessesLine;
  spawns: Spawn[];
  /** Spawns per runner, from the execution log. */
  runners: Record<string, number>;
  /** What `rbl build --json` reported for the same invocation. */
  summary: InvocationSummary;
}

let logCounter = 0;

/**
 * `rbl build --json -- build` with the remote flags and our own execution log (which rbl then
 * reads instead of adding one); fails the test with the output if the build fails.
 */
export async function buildRemotely(
  workspace: Workspace,
  remoteFlags: string[],
): Promise<RemoteBuild> {
  const execLog = path.join(workspace.dir, `..`, `${workspace.name}-exec-${++logCounter}.log`);
  const run = await runBazel(
    workspace,
    [
      'build',
      '--disk_cache=',
      `--execution_log_binary_file=${execLog}`,
      ...remoteFlags,
      ...REMOTE_TARGETS,
    ],
    { wrapper: rblBuildWrapper(rblCommand()) },
  );
  if (run.exitCode !== 0) throw new Error(`remote build failed:\n${describeRun(run)}`);
  const processes = parseProcessesLine(run.stderr);
  if (!processes) throw new Error(`no processes line in Bazel's output:\n${describeRun(run)}`);
  const log = await readLog(execLog);
  if (log.error) throw new Error(`execution log damaged: ${log.error.describe()}`);
  const runners: Record<string, number> = {};
  for (const s of log.spawns) runners[s.runner] = (runners[s.runner] ?? 0) + 1;
  return { run, processes, spawns: log.spawns, runners, summary: summaryOf(run.stdout) };
}

/** `bazel clean`, so the next build has to fetch or run every action again. */
export async function clean(workspace: Workspace): Promise<void> {
  const run = await runBazel(workspace, ['clean']);
  if (run.exitCode !== 0) throw new Error(`bazel clean failed:\n${describeRun(run)}`);
}
