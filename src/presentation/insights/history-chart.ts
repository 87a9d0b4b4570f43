import type { Invocation } from '../../model/types';
import { formatDuration, formatPercent } from '../format';
import { elapsedMs, invocationResult } from '../rows';

/**
 * The history chart's geometry, worked out here so it is tested in plain Node: the webview only
 * creates the SVG elements these numbers describe. Remote cache hit rate is a line on the left
 * axis (0–100 %), wall time bars on the right axis (0–the slowest build), newest build right,
 * and a dashed line at 80 % hit rate: the mark remote-execution maturity guides give for a
 * healthy setup.
 */
export const HEALTHY_HIT_RATE = 0.8;
export const HEALTHY_LABEL = '80% hit rate: healthy remote cache';

export interface HistoryPoint {
  invocationId: string;
  /** `build //gen:all` */
  title: string;
  result: string;
  startedAt: number | null;
  hitRate: number | null;
  wallMs: number | null;
  hitText: string;
  wallText: string;
  /** Centre of the build's column. */
  x: number;
  /** Y of the hit-rate dot, null without a rate. */
  hitY: number | null;
  /** Wall-time bar (zero height without a time). */
  bar: { x: number; y: number; width: number; height: number };
}

export interface HistoryChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  /** Oldest first (newest right). */
  points: HistoryPoint[];
  /** The hit-rate line, broken where a build has no rate. */
  hitLines: { x: number; y: number }[][];
  healthy: { y: number; label: string };
  /** Left axis ticks (hit rate). */
  hitTicks: { y: number; text: string }[];
  /** Right axis ticks (wall time). */
  wallTicks: { y: number; text: string }[];
  /** For the SVG's `<title>` and `<desc>`. */
  title: string;
  description: string;
}

const WIDTH = 640;
const HEIGHT = 200;
const PLOT = { left: 44, top: 14, right: WIDTH - 56, bottom: HEIGHT - 22 };

function yOfRate(rate: number): number {
  return PLOT.bottom - rate * (PLOT.bottom - PLOT.top);
}

/** Finished builds only (a running one has no rate or wall time yet), at most `max`, newest right. */
export function historyChart(invocations: readonly Invocation[], max = 50): HistoryChart {
  const done = invocations
    .map((invocation, index) => ({ invocation, index }))
    .filter(({ invocation }) => invocation.state !== 'running')
    // Newest first by start time; the model's order breaks ties (and orders unknown starts).
    .sort(
      (a, b) =>
        (b.invocation.startedAt ?? -Infinity) - (a.invocation.startedAt ?? -Infinity) ||
        a.index - b.index,
    )
    .slice(0, max)
    .reverse()
    .map(({ invocation }) => invocation);
  const walls = done.map((inv) => elapsedMs(inv, inv.finishedAt ?? 0));
  const wallMax = Math.max(1, ...walls.map((w) => (w !== null && w > 0 ? w : 0)));
  const plotWidth = PLOT.right - PLOT.left;
  const step = done.length === 0 ? plotWidth : plotWidth / done.length;
  const points: HistoryPoint[] = done.map((inv, i) => {
    const x = PLOT.left + step * (i + 0.5);
    const wall = walls[i];
    const wallMs = wall !== null && wall >= 0 ? wall : null;
    const height = wallMs === null ? 0 : (wallMs / wallMax) * (PLOT.bottom - PLOT.top);
    const width = Math.max(1, Math.min(24, step * 0.6));
    const rate = inv.cacheHitRate;
    return {
      invocationId: inv.id,
      title: [inv.command ?? 'bazel', ...inv.patterns].join(' '),
      result: invocationResult(inv),
      startedAt: inv.startedAt,
      hitRate: rate,
      wallMs,
      hitText: rate === null ? '—' : formatPercent(rate),
      wallText: formatDuration(wallMs),
      x: round(x),
      hitY: rate === null ? null : round(yOfRate(rate)),
      bar: {
        x: round(x - width / 2),
        y: round(PLOT.bottom - height),
        width: round(width),
        height: round(height),
      },
    };
  });
  const hitLines: { x: number; y: number }[][] = [];
  let run: { x: number; y: number }[] = [];
  for (const p of points) {
    if (p.hitY === null) {
      if (run.length > 0) hitLines.push(run);
      run = [];
    } else run.push({ x: p.x, y: p.hitY });
  }
  if (run.length > 0) hitLines.push(run);
  const healthyCount = points.filter((p) => p.hitRate !== null && p.hitRate >= HEALTHY_HIT_RATE);
  const rated = points.filter((p) => p.hitRate !== null).length;
  return {
    width: WIDTH,
    height: HEIGHT,
    plot: { ...PLOT },
    points,
    hitLines,
    healthy: { y: round(yOfRate(HEALTHY_HIT_RATE)), label: HEALTHY_LABEL },
    hitTicks: [0, 0.5, 1].map((r) => ({ y: round(yOfRate(r)), text: `${r * 100}%` })),
    wallTicks: [0, 0.5, 1].map((f) => ({
      y: round(PLOT.bottom - f * (PLOT.bottom - PLOT.top)),
      text: formatDuration(f * wallMax),
    })),
    title: 'Remote cache hit rate and wall time per build',
    description:
      points.length === 0
        ? 'No finished builds yet.'
        : `${points.length} builds, oldest left, newest right; ${healthyCount.length} of ${rated} with a hit rate reach the 80% mark. The table below lists the same figures.`,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
