/**
 * explain: the cache-miss explanation of a generated pair of 100,000-action compact logs where
 * one header change invalidates 5,000 actions (the explain engineer's generator and per-process
 * runner, bench/explain-*.ts), vs merely parsing both logs. Each sample is a fresh process, so
 * its peak RSS is its own; parse and explain samples are interleaved.
 */
import { generatePair } from './explain-generate';
import { measureExplainRun, type ExplainRunResult } from './explain-measure';
import { medianInterval, ratioInterval, round, type Interval } from './stats';

export interface CacheMissShape {
  packages: number;
  compilesPerPackage: number;
  affectedPackages: number;
}

/** 1,000 packages x (99 compiles + 1 archive) = 100,000 actions; 50 packages = 5,000 changed. */
export const FULL_SHAPE: CacheMissShape = {
  packages: 1000,
  compilesPerPackage: 99,
  affectedPackages: 50,
};

export interface ExplainFigures {
  actionsPerLog: number;
  changed: number;
  ms: number;
  parseMs: number;
  /** Explain time / parse time, median with 95 % interval. */
  ratio: Interval;
  peakRssMb: number;
  rootCauses: string[];
  explainMsSamples: number[];
  parseMsSamples: number[];
  /**
   * The same ratio in CPU time (user + system of each process): on a shared machine wall time
   * also measures the neighbours, and more so for the longer, collector-heavy explain runs.
   */
  cpuRatio: Interval;
  explainCpuMsSamples: number[];
  parseCpuMsSamples: number[];
}

export function runCacheMissBench(
  dir: string,
  shape: CacheMissShape,
  runs: number,
  say: (line: string) => void,
): ExplainFigures {
  const pair = generatePair(dir, { ...shape, format: 'compact' });
  const parse: ExplainRunResult[] = [];
  const explain: ExplainRunResult[] = [];
  for (let run = 0; run < runs; run++) {
    const order: ('parse' | 'explain')[] =
      run % 2 === 0 ? ['parse', 'explain'] : ['explain', 'parse'];
    for (const mode of order) {
      const r = measureExplainRun(mode, pair.oldLog, pair.newLog);
      if (mode === 'explain' && r.changed !== pair.expectedChanged)
        throw new Error(
          `explain bench: expected ${pair.expectedChanged} changed actions, got ${r.changed}`,
        );
      (mode === 'parse' ? parse : explain).push(r);
    }
    say(
      `explain run ${run + 1}: explain ${explain[run]?.totalMs.toFixed(0)} ms (cpu ${explain[run]?.cpuMs.toFixed(0)}), parse ${parse[run]?.totalMs.toFixed(0)} ms (cpu ${parse[run]?.cpuMs.toFixed(0)})`,
    );
  }
  const explainMs = explain.map((r) => r.totalMs);
  const parseMs = parse.map((r) => r.totalMs);
  const ratio = ratioInterval(explainMs, parseMs);
  const explainCpuMs = explain.map((r) => r.cpuMs);
  const parseCpuMs = parse.map((r) => r.cpuMs);
  const cpuRatio = ratioInterval(explainCpuMs, parseCpuMs);
  return {
    actionsPerLog: pair.actions,
    changed: pair.expectedChanged,
    ms: Math.round(medianInterval(explainMs).median),
    parseMs: Math.round(medianInterval(parseMs).median),
    ratio: {
      ...ratio,
      median: round(ratio.median),
      low: round(ratio.low),
      high: round(ratio.high),
    },
    peakRssMb: Math.round(Math.max(...explain.map((r) => r.peakRssMb))),
    rootCauses: explain[0]?.causes ?? [],
    explainMsSamples: explainMs.map(Math.round),
    parseMsSamples: parseMs.map(Math.round),
    cpuRatio: {
      ...cpuRatio,
      median: round(cpuRatio.median),
      low: round(cpuRatio.low),
      high: round(cpuRatio.high),
    },
    explainCpuMsSamples: explainCpuMs.map(Math.round),
    parseCpuMsSamples: parseCpuMs.map(Math.round),
  };
}
