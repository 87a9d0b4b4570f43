// The one way tests run `rbl` in-process: the real CLI entry point (runCli) with stdout and
// stderr captured, so a test sees exactly what a user would, exit code included.
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RblOptions {
  /** The working directory rbl sees (default: the test process's cwd). */
  cwd?: string;
  /** The environment rbl sees (default: the test process's environment). */
  env?: NodeJS.ProcessEnv;
}

/** Runs `rbl ARGS` in-process and returns its exit code and everything it printed. */
export async function runRbl(args: readonly string[], options: RblOptions = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli([...args], {
    stdout,
    stderr,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
  });
  return { code, stdout: out, stderr: err };
}

/**
 * Runs `rbl ARGS --json` (--json is added before any `--` unless ARGS has it) and parses stdout,
 * which the contract says is exactly one JSON object; anything else fails with the output in
 * the message.
 */
export async function runRblJson<T = Record<string, unknown>>(
  args: readonly string[],
  options: RblOptions = {},
): Promise<CliRun & { json: T }> {
  const argv = withJsonFlag(args);
  const run = await runRbl(argv, options);
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(
      `rbl ${argv.join(' ')}: stdout is not exactly one JSON object (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
  return { ...run, json: parsed as T };
}

/** A stream that keeps what is written to it, for code that writes to a stdout/stderr stream. */
export function textSink(): PassThrough & { text: () => string } {
  const chunks: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return Object.assign(stream, { text: () => chunks.join('') });
}

function withJsonFlag(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  const ours = end === -1 ? args : args.slice(0, end);
  if (ours.includes('--json')) return [...args];
  return end === -1 ? [...args, '--json'] : [...ours, '--json', ...args.slice(end)];
}
