// One recorded Bazel command: runs it with BEP (JSON + binary) and the execution log (binary +
// JSON) written into a folder of its own, keeps the console, and parses Bazel's own processes
// line. The standard scenarios are made of these; tests that need a build of their own (two
// clean builds for the cache-miss explainer, a build against a remote cache) use it directly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBazel, runRoot, type BazelRun, type RunOptions, type Workspace } from './bazel';
import { parseProcessesLine, type ProcessesLine } from './processes-line';

export interface RecordedFiles {
  bepJson: string;
  bepBinary: string;
  execLogBinary: string;
  execLogJson: string;
}

export interface BuildRequest extends RunOptions {
  /** Bazel command, e.g. 'build' or 'test'. */
  command: string;
  /** Options, before the output-file flags the recording adds. */
  options?: string[];
  targets: string[];
  /** Folder for the recorded files (default: a fresh one under the run root). */
  dir?: string;
}

export interface RecordedBuild {
  /** Bazel command and arguments as asked for, output-file flags included. */
  bazelArgs: string[];
  /** What was really run (the wrapper's command line, when wrapped). */
  argv: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Bazel's own `INFO: N processes: ...` line of this run, parsed; null if it printed none. */
  processes: ProcessesLine | null;
  files: RecordedFiles;
  dir: string;
  run: BazelRun;
}

let recorded = 0;

/** The flags that make Bazel write BEP and the execution log into `files`. */
export function outputFlags(files: RecordedFiles): string[] {
  return [
    `--build_event_json_file=${files.bepJson}`,
    `--build_event_binary_file=${files.bepBinary}`,
    `--execution_log_binary_file=${files.execLogBinary}`,
    `--execution_log_json_file=${files.execLogJson}`,
  ];
}

export async function recordBuild(
  workspace: Workspace,
  request: BuildRequest,
): Promise<RecordedBuild> {
  const { command, options = [], targets, dir: wantedDir, ...runOptions } = request;
  const dir =
    wantedDir ?? path.join(runRoot(), 'builds', `${workspace.name}-${++recorded}-${command}`);
  fs.mkdirSync(dir, { recursive: true });
  const files: RecordedFiles = {
    bepJson: path.join(dir, 'bep.json'),
    bepBinary: path.join(dir, 'bep.bin'),
    execLogBinary: path.join(dir, 'exec.log.bin'),
    execLogJson: path.join(dir, 'exec.log.json'),
  };
  const bazelArgs = [command, ...options, ...outputFlags(files), ...targets];
  const run = await runBazel(workspace, bazelArgs, runOptions);
  fs.writeFileSync(path.join(dir, 'console.stderr.txt'), run.stderr);
  fs.writeFileSync(path.join(dir, 'console.stdout.txt'), run.stdout);
  return {
    bazelArgs,
    argv: run.argv,
    exitCode: run.exitCode,
    stdout: run.stdout,
    stderr: run.stderr,
    processes: parseProcessesLine(run.stderr),
    files,
    dir,
    run,
  };
}
