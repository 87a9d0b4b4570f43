/**
 * Bazel's `INFO: N processes: ...` line: parsing Bazel's own, deriving ours from BEP and the
 * execution log (reference §4), and comparing the two.
 */
import type { BazelProcessesLine } from './types';

const LINE = /INFO: (\d+) process(?:es)?(?:: ([^\n]*?))?\.?\s*$/m;

/** Parses the last processes line in `text`, or returns null. */
export function parseProcessesLine(text: string): BazelProcessesLine | null {
  const lines = text.split('\n').filter((l) => LINE.test(l));
  const last = lines[lines.length - 1];
  const m = last ? LINE.exec(last) : null;
  if (!m) return null;
  const parsed: BazelProcessesLine = { total: Number(m[1]) };
  for (const part of (m[2] ?? '').split(',')) {
    const pm = /^\s*(\d+) (.+?)\s*$/.exec(part);
    if (pm?.[2]) parsed[pm[2]] = Number(pm[1]);
  }
  return parsed;
}

export interface CountedSpawn {
  runner: string;
  /** Whether the action owning the spawn succeeded (Bazel counts only those). */
  actionSucceeded: boolean;
}

/**
 * N = executed actions (ActionExecuted events); each spawn of a successful action counts under its
 * runner; `internal` = N - tally, left out when not positive.
 */
export function deriveByRunner(
  executedActions: number,
  spawns: readonly CountedSpawn[],
): Record<string, number> {
  const byRunner: Record<string, number> = {};
  let tally = 0;
  for (const s of spawns) {
    if (!s.actionSucceeded) continue;
    byRunner[s.runner] = (byRunner[s.runner] ?? 0) + 1;
    tally++;
  }
  const internal = executedActions - tally;
  if (internal > 0) byRunner.internal = internal;
  return byRunner;
}

/** Text naming every runner whose counts differ, or null when they agree (or no line). */
export function compareProcesses(
  byRunner: Record<string, number>,
  bazel: BazelProcessesLine | null,
): string | null {
  if (!bazel) return null;
  const names = new Set(
    [...Object.keys(byRunner), ...Object.keys(bazel)].filter((n) => n !== 'total'),
  );
  const diffs: string[] = [];
  for (const name of [...names].sort()) {
    const ours = byRunner[name] ?? 0;
    const theirs = bazel[name] ?? 0;
    if (ours !== theirs) diffs.push(`${name}: derived ${ours}, Bazel ${theirs}`);
  }
  return diffs.length > 0 ? diffs.join('; ') : null;
}
