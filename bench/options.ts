/**
 * `npm run bench` options. Defaults are the sizes except the overhead workspace: a clean
 * build of 2,000 genrules takes 20-26 s on a quiet 2-core machine and about a minute on a loaded
 * one, and the part runs ten of them, so the default keeps the whole run within 10 minutes;
 * `--overhead-actions 2000` gives the size.
 */
export const PARTS = [
  'ingest',
  'overhead',
  'model',
  'execlog',
  'explain',
  'ui',
  'activation',
] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  json: boolean;
  parts: Set<Part>;
  /** Interleaved runs per side for wall-time ratios (>= 5 for the figures). */
  runs: number;
  seed: number;
  ingestEvents: number;
  ingestRunLimitMs: number;
  overheadActions: number;
  overheadRuns: number;
  modelActions: number;
  execlogSpawns: number;
  explainPackages: number;
  uiEventsPerSec: number;
  uiSeconds: number;
}

export const DEFAULTS: Omit<BenchOptions, 'json' | 'parts'> = {
  runs: 5,
  seed: 42,
  ingestEvents: 200_000,
  ingestRunLimitMs: 60_000,
  overheadActions: 300,
  overheadRuns: 3,
  modelActions: 100_000,
  execlogSpawns: 100_000,
  explainPackages: 1000,
  uiEventsPerSec: 10_000,
  uiSeconds: 10,
};

export const USAGE = `Usage: npm run bench -- [--json] [--only PART,...] [--skip PART,...] [options]

Measures every hot path against its limit or peer in the same run (see README, Performance).
Parts: ${PARTS.join(', ')}.

Options (defaults in brackets):
  --json                  print one JSON object on stdout (progress goes to stderr)
  --only LIST / --skip LIST  choose parts
  --runs N                interleaved runs per side for wall-time ratios [${DEFAULTS.runs}]
  --seed N                generator seed [${DEFAULTS.seed}]
  --ingest-events N       BEP events streamed per ingest run [${DEFAULTS.ingestEvents}]
  --ingest-limit-s N      stop an end-to-end ingest run after N s, rate so far counts [${DEFAULTS.ingestRunLimitMs / 1000}]
  --overhead-actions N    genrules in the overhead workspace [${DEFAULTS.overheadActions}; the issue's size is 2000]
  --overhead-runs N       clean builds per side [${DEFAULTS.overheadRuns}]
  --model-actions N       actions for model.bytesPerAction [${DEFAULTS.modelActions}]
  --execlog-spawns N      spawns in the generated compact log [${DEFAULTS.execlogSpawns}]
  --explain-packages N    packages of 100 actions per explained log [${DEFAULTS.explainPackages}]
  --ui-rate N / --ui-seconds N  change-stream feed [${DEFAULTS.uiEventsPerSec} events/s for ${DEFAULTS.uiSeconds} s]
`;

export class BenchUsageError extends Error {}

const NUMERIC: Record<string, keyof typeof DEFAULTS> = {
  '--runs': 'runs',
  '--seed': 'seed',
  '--ingest-events': 'ingestEvents',
  '--overhead-actions': 'overheadActions',
  '--overhead-runs': 'overheadRuns',
  '--model-actions': 'modelActions',
  '--execlog-spawns': 'execlogSpawns',
  '--explain-packages': 'explainPackages',
  '--ui-rate': 'uiEventsPerSec',
  '--ui-seconds': 'uiSeconds',
};

function partsOf(value: string, flag: string): Part[] {
  return value.split(',').map((p) => {
    if (!(PARTS as readonly string[]).includes(p))
      throw new BenchUsageError(`${flag}: unknown part '${p}' (parts: ${PARTS.join(', ')})`);
    return p as Part;
  });
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULTS, json: false, parts: new Set(PARTS) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new BenchUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--json') options.json = true;
    else if (flag === '--only') options.parts = new Set(partsOf(value(), flag));
    else if (flag === '--skip') for (const p of partsOf(value(), flag)) options.parts.delete(p);
    else if (flag === '--ingest-limit-s') options.ingestRunLimitMs = positive(value(), flag) * 1000;
    else if (NUMERIC[flag]) options[NUMERIC[flag]] = positive(value(), flag);
    else throw new BenchUsageError(`unknown option '${arg}'\n${USAGE}`);
  }
  return options;
}

function positive(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new BenchUsageError(`${flag}: expected a positive number, got '${raw}'`);
  return n;
}
