/**
 * The benchmark report: every figure of the table under its dotted key (a number, or
 * null with a reason), each against its goal, with the measurements behind it under `details`.
 */
import * as os from 'node:os';
import type { Interval } from './stats';

export type FigureKey =
  | 'ingest.eventsPerSec'
  | 'ingest.decodeOnlyEventsPerSec'
  | 'ingest.ratio'
  | 'overhead.besRatio'
  | 'overhead.fullRatio'
  | 'model.bytesPerAction'
  | 'execlog.mbPerSec'
  | 'execlog.ratio'
  | 'explain.ms'
  | 'explain.parseMs'
  | 'explain.ratio'
  | 'explain.peakRssMb'
  | 'ui.refreshesPerSec'
  | 'ui.loopLagP99Ms'
  | 'activation.ms'
  | 'activation.ratio';

export const FIGURE_KEYS: readonly FigureKey[] = [
  'ingest.eventsPerSec',
  'ingest.decodeOnlyEventsPerSec',
  'ingest.ratio',
  'overhead.besRatio',
  'overhead.fullRatio',
  'model.bytesPerAction',
  'execlog.mbPerSec',
  'execlog.ratio',
  'explain.ms',
  'explain.parseMs',
  'explain.ratio',
  'explain.peakRssMb',
  'ui.refreshesPerSec',
  'ui.loopLagP99Ms',
  'activation.ms',
  'activation.ratio',
];

/** The goals; figures without one are reported only. */
export const GOALS: Partial<Record<FigureKey, { op: '>=' | '<='; value: number }>> = {
  'ingest.eventsPerSec': { op: '>=', value: 100_000 },
  'overhead.besRatio': { op: '<=', value: 1.02 },
  'overhead.fullRatio': { op: '<=', value: 1.05 },
  'model.bytesPerAction': { op: '<=', value: 1000 },
  'execlog.ratio': { op: '>=', value: 0.5 },
  'explain.ms': { op: '<=', value: 3000 },
  'explain.ratio': { op: '<=', value: 2 },
  'explain.peakRssMb': { op: '<=', value: 500 },
  'ui.refreshesPerSec': { op: '<=', value: 10 },
  'ui.loopLagP99Ms': { op: '<=', value: 50 },
  'activation.ms': { op: '<=', value: 50 },
};

export interface Figure {
  value: number | null;
  /** 95 % bootstrap interval of a ratio, when it is one. */
  interval?: [number, number];
  /** Why the value is null (or only partly measured). */
  reason?: string;
}

export class BenchReport {
  readonly figures = new Map<FigureKey, Figure>();
  readonly details: Record<string, unknown> = {};
  private readonly startedAt = Date.now();
  private readonly loadAtStart = os.loadavg();

  set(
    key: FigureKey,
    value: number | null,
    extra: { interval?: Interval; reason?: string } = {},
  ): void {
    const figure: Figure = { value };
    if (extra.interval) figure.interval = [extra.interval.low, extra.interval.high];
    if (extra.reason) figure.reason = extra.reason;
    this.figures.set(key, figure);
  }

  /** Marks every figure of a part as not measured, with the reason. */
  unmeasured(prefix: string, reason: string): void {
    for (const key of FIGURE_KEYS)
      if (key.startsWith(`${prefix}.`)) this.set(key, null, { reason });
  }

  private figure(key: FigureKey): Figure {
    return this.figures.get(key) ?? { value: null, reason: 'not run (--only/--skip)' };
  }

  private goalText(key: FigureKey): string | null {
    const goal = GOALS[key];
    return goal ? `${goal.op} ${goal.value}` : null;
  }

  private met(key: FigureKey): boolean | null {
    const goal = GOALS[key];
    const value = this.figure(key).value;
    if (!goal || value === null) return null;
    return goal.op === '>=' ? value >= goal.value : value <= goal.value;
  }

  toJson(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const nested: Record<string, Record<string, unknown>> = {};
    const goals: Record<string, unknown> = {};
    const reasons: Record<string, string> = {};
    const intervals: Record<string, [number, number]> = {};
    for (const key of FIGURE_KEYS) {
      const f = this.figure(key);
      out[key] = f.value;
      const [part, name] = key.split('.') as [string, string];
      (nested[part] ??= {})[name] = f.value;
      if (f.reason) reasons[key] = f.reason;
      if (f.interval) intervals[key] = f.interval;
      const goal = this.goalText(key);
      if (goal) goals[key] = { goal, met: this.met(key) };
    }
    return {
      ...out,
      ...nested,
      intervals95: intervals,
      goals,
      reasons,
      details: this.details,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? null,
        memoryGb: Math.round(os.totalmem() / 1e9),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAverageAtStart: this.loadAtStart.map((l) => Math.round(l * 100) / 100),
        loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
      },
      totalSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  toText(): string {
    const lines = ['rbl bench: figures (median; 95 % interval for ratios)', ''];
    for (const key of FIGURE_KEYS) {
      const f = this.figure(key);
      const value = f.value === null ? 'null' : String(f.value);
      const interval = f.interval ? ` [${f.interval[0]}, ${f.interval[1]}]` : '';
      const goal = this.goalText(key);
      const met = this.met(key);
      const verdict = goal ? ` goal ${goal}: ${met === null ? '-' : met ? 'met' : 'MISSED'}` : '';
      const reason = f.reason ? `  (${f.reason})` : '';
      lines.push(`  ${key.padEnd(30)} ${(value + interval).padEnd(28)}${verdict}${reason}`);
    }
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    lines.push(
      '',
      `machine: ${os.cpus().length} cpus, load average ${load}; ${Math.round((Date.now() - this.startedAt) / 1000)} s`,
    );
    return `${lines.join('\n')}\n`;
  }
}
