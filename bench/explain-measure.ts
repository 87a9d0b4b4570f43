import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The one JSON line bench/explain-run.ts prints for a measured run. */
export interface ExplainRunResult {
  mode: string;
  spawns: number;
  parsedMs: number;
  totalMs: number;
  cpuMs: number;
  peakRssMb: number;
  changed: number | null;
  causes: string[];
}

/**
 * Runs bench/explain-run.ts in a fresh process (so its peak RSS is its own): `parse` only
 * reads both logs, `explain` explains them as `rbl explain` does.
 */
export function measureExplainRun(
  mode: 'parse' | 'explain',
  oldLog: string,
  newLog: string,
): ExplainRunResult {
  const run = spawnSync(
    process.execPath,
    [path.join(__dirname, 'explain-run.js'), mode, oldLog, newLog],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0)
    throw new Error(`explain bench: ${mode} failed: ${run.stderr || run.error?.message}`);
  return JSON.parse(run.stdout) as ExplainRunResult;
}
