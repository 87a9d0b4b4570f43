// Runs `rbl` in-process with captured stdout/stderr, for the remote tier's CLI tests.
import { PassThrough } from 'node:stream';
import '../../src/cli/commands/remote-test';
import { runCli } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function rbl(args: string[]): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, cwd: process.cwd(), env: process.env });
  return { code, stdout: out, stderr: err };
}

/** `rbl ... --json`: the exit code and the one JSON object it printed. */
export async function rblJson(
  args: string[],
): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  const run = await rbl([...args, '--json']);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(
      `stdout is not one JSON object (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
  return { code: run.code, json, stderr: run.stderr };
}
