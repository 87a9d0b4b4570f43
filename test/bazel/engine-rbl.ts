// How the engine's Bazel tests start the rbl CLI: the compiled entry point beside this file's
// compiled tree (out/src/cli/main.js), run by this Node.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActionLocation, InvocationSummary } from '../../src/model/types';

export function rblCommand(): string[] {
  const main = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.js');
  if (!fs.existsSync(main))
    throw new Error(`the compiled rbl CLI is missing: ${main} (compile first)`);
  return [process.execPath, main];
}

/** The one JSON object `rbl build --json` printed on stdout. */
export function summaryOf(stdout: string): InvocationSummary {
  try {
    return JSON.parse(stdout) as InvocationSummary;
  } catch (err) {
    throw new Error(
      `rbl build --json printed no single JSON object on stdout: ${String(err)}\n${stdout.slice(0, 2000)}`,
      { cause: err },
    );
  }
}

/**
 * CONTRACT.md's table, for a Bazel 4.2.3 build with only --disk_cache in effect (or none):
 * written out here independently of src/model/location.ts so the two can disagree.
 */
export function expectedLocation(runner: string): ActionLocation {
  if (
    [
      'linux-sandbox',
      'processwrapper-sandbox',
      'darwin-sandbox',
      'sandboxed',
      'local',
      'standalone',
    ].includes(runner)
  )
    return 'local';
  if (runner === 'remote cache hit' || runner === 'disk cache hit') return 'disk-cache';
  if (runner === 'remote') return 'remote';
  if (runner === 'worker' || runner === 'multiplex-worker') return 'worker';
  return 'unknown';
}
