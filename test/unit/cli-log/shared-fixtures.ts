// Where the read-only reference material lives: ../shared next to the repository (tests run
// from the repository root). Missing material is a loud failure, never a silent skip.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';

export function sharedDir(): string {
  const dir = path.resolve(process.cwd(), '..', 'shared');
  if (!fs.existsSync(path.join(dir, 'fixtures'))) {
    throw new Error(
      `the shared fixtures are missing: expected ${dir}/fixtures (run the tests from the repository root, with ../shared beside it)`,
    );
  }
  return dir;
}

export function fixturesDir(...parts: string[]): string {
  return path.join(sharedDir(), 'fixtures', ...parts);
}

/** The Bazel 4.2.3 scenario folders (01-clean-build, ...), found on disk, not listed here. */
export function bazelScenarios(): string[] {
  const root = fixturesDir('bazel-4.2.3');
  return fs
    .readdirSync(root)
    .filter((name) => fs.existsSync(path.join(root, name, 'processes.txt')))
    .sort()
    .map((name) => path.join(root, name));
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `rbl ARGS` in-process and captures its output. */
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

export interface LogJson {
  format: string;
  spawns: {
    mnemonic: string;
    label: string | null;
    progressMessage: string | null;
    outputs: string[];
    runner: string;
    cacheHit: boolean;
    exitCode: number;
  }[];
  events: Record<string, number>;
  error: { message: string; offset: number } | null;
}

/** `rbl log --json FILE`, parsed; asserts the --json rule (one JSON object on stdout). */
export async function rblLogJson(file: string): Promise<{ run: CliRun; json: LogJson }> {
  const run = await rbl(['log', '--json', file]);
  return { run, json: JSON.parse(run.stdout) as LogJson };
}
