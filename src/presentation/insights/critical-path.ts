/**
 * Bazel's critical path, parsed from the text it sends in BEP `BuildToolLogs` ("critical path"),
 * the only place Bazel 4.2.3 reports its composition (wire-formats.md, BuildMetrics has no
 * critical-path field there). Example of the text:
 *
 *   Critical Path: 1.03s, Remote (0.00% of the time): [parse: 0.00%, ...]
 *     0.01s runfiles for //cc:hello
 *     0.14s action 'Linking cc/hello'
 *     0.88s action 'Compiling cc/main.cc'
 *
 * Bazel lists the path from its last step back to its first; `steps` are in execution order.
 */

export interface CriticalPathStep {
  durationMs: number;
  /** `action` for `action '…'` lines (the action's progress message), else `other`. */
  kind: 'action' | 'other';
  /** The action's progress message, or the whole line after the time (`runfiles for //cc:hello`). */
  description: string;
  /** Share of the whole path in [0, 1] (0 when the path has no length). */
  share: number;
}

export interface CriticalPath {
  totalMs: number;
  /** Share of the path's time spent remotely in [0, 1], when Bazel said. */
  remoteShare: number | null;
  steps: CriticalPathStep[];
}

/** The text comes from the event stream: bound what we read of it. */
const MAX_TEXT = 1 << 20;
const MAX_STEPS = 500;

const HEADER =
  /^Critical Path: ([0-9]+(?:\.[0-9]+)?)s(?:, Remote \(([0-9]+(?:\.[0-9]+)?)% of the time\))?/;
const STEP = /^\s+([0-9]+(?:\.[0-9]+)?)s (.+)$/;
const ACTION = /^action '(.*)'$/;

const toMs = (seconds: string): number => Math.round(Number(seconds) * 1000);

/** Null when the text is not Bazel's critical-path summary (nothing is guessed). */
export function parseCriticalPath(text: string | null | undefined): CriticalPath | null {
  if (typeof text !== 'string' || text === '') return null;
  const lines = text.slice(0, MAX_TEXT).split('\n');
  const header = HEADER.exec(lines[0] ?? '');
  if (!header) return null;
  const totalMs = toMs(header[1]);
  const remote = header[2] === undefined ? null : Number(header[2]) / 100;
  const reversed: Omit<CriticalPathStep, 'share'>[] = [];
  for (const line of lines.slice(1)) {
    if (reversed.length >= MAX_STEPS) break;
    const step = STEP.exec(line.replace(/\r$/, ''));
    if (!step) continue;
    const rest = step[2];
    const action = ACTION.exec(rest);
    reversed.push({
      durationMs: toMs(step[1]),
      kind: action ? 'action' : 'other',
      description: action ? action[1] : rest,
    });
  }
  const steps = reversed.reverse().map((s) => ({
    ...s,
    share: totalMs > 0 ? Math.min(1, s.durationMs / totalMs) : 0,
  }));
  return { totalMs, remoteShare: remote, steps };
}
