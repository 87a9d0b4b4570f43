// Where the read-only reference material lives (../shared beside the repository, found by
// test/helpers/paths.ts) and how these tests run `rbl log`. Missing material is a loud failure,
// never a silent skip.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runRblJson, type CliRun } from '../../helpers/cli';
import { sharedDir } from '../../helpers/paths';

export function fixturesDir(...parts: string[]): string {
  return path.join(sharedDir('fixtures'), ...parts);
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
  const { json, ...run } = await runRblJson<LogJson>(['log', '--json', file]);
  return { run, json };
}
