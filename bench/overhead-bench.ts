/**
 * overhead: wall time of clean builds of the generated genrule workspace on a warm Bazel server,
 * three sides interleaved round by round: plain `bazel build`; the same with the BES upload to
 * our sink (`rbl serve` in its own process, as the extension's long-lived sink would be, with
 * --build_event_publish_all_actions as rbl adds it); and `rbl build --json` with everything it
 * adds (its own sink, ids, execution log, the log join and the history store). Ratios to plain
 * are medians with 95 % bootstrap intervals. Every Bazel command goes through the one harness.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createWorkspace,
  requireBazel,
  runBazel,
  shutdownWorkspace,
  type BazelRun,
  type BazelWrapper,
} from '../test/helpers/bazel';
import { LineChild } from './child-lines';
import { writeOverheadPackage } from './overhead-workspace';
import { medianInterval, ratioInterval, round, type Interval } from './stats';

export interface OverheadOptions {
  actions: number;
  runs: number;
}

export interface OverheadFigures {
  actions: number;
  runs: number;
  plainMs: number;
  besMs: number;
  fullMs: number;
  besRatio: Interval;
  fullRatio: Interval;
  samples: { plain: number[]; bes: number[]; full: number[] };
}

function rblMain(): string {
  const main = path.resolve(__dirname, '..', 'src', 'cli', 'main.js');
  if (!fs.existsSync(main))
    throw new Error(`the compiled rbl CLI is missing: ${main} (compile first)`);
  return main;
}

const rblBuild: BazelWrapper = {
  name: 'rbl-bench',
  wrap: ({ bazel, args, cwd }) => ({
    file: process.execPath,
    args: [rblMain(), 'build', '--json', '--bazel', bazel, '--cwd', cwd, '--', ...args],
  }),
};

function check(run: BazelRun, what: string): BazelRun {
  if (run.exitCode !== 0)
    throw new Error(`overhead: ${what} exited ${run.exitCode}: ${run.stderr.slice(-1500)}`);
  return run;
}

/** `INFO: N processes: …` of a build: every side must have run the same work. */
function processesLine(stderr: string): string {
  return /INFO: \d+ processes?[^\n]*/.exec(stderr)?.[0] ?? '(no processes line)';
}

export async function runOverheadBench(
  options: OverheadOptions,
  say: (line: string) => void,
): Promise<OverheadFigures> {
  requireBazel();
  const ws = createWorkspace('bench-overhead');
  const pattern = writeOverheadPackage(ws.dir, options.actions);
  const serve = new LineChild('rbl serve', rblMain(), [
    'serve',
    '--listen',
    '127.0.0.1:0',
    '--json',
  ]);
  try {
    const listening = JSON.parse(await serve.next(/^\{"listening"/, 30_000)) as {
      listening: string;
    };
    const besArgs = [`--bes_backend=${listening.listening}`, '--build_event_publish_all_actions'];
    const build = async (side: 'plain' | 'bes' | 'full'): Promise<BazelRun> => {
      check(await runBazel(ws, ['clean']), 'bazel clean');
      const args = side === 'bes' ? ['build', ...besArgs, pattern] : ['build', pattern];
      return check(
        await runBazel(ws, args, side === 'full' ? { wrapper: rblBuild } : {}),
        `${side} build`,
      );
    };
    // Warm the server, its analysis cache and rbl's flag detection: no timed build pays for them.
    say(`overhead: warming up (${options.actions} genrules)`);
    const expected = processesLine((await build('full')).stderr);
    const samples = { plain: [] as number[], bes: [] as number[], full: [] as number[] };
    for (let round = 0; round < options.runs; round++) {
      const sides: ('plain' | 'bes' | 'full')[] = ['plain', 'bes', 'full'];
      for (let i = 0; i < round % 3; i++) sides.push(sides.shift() as 'plain' | 'bes' | 'full');
      for (const side of sides) {
        const run = await build(side);
        const line = processesLine(run.stderr);
        if (line !== expected)
          throw new Error(`overhead: ${side} build ran '${line}', expected '${expected}'`);
        samples[side].push(run.durationMs);
      }
      say(
        `overhead round ${round + 1}: plain ${samples.plain.at(-1)} ms, bes ${samples.bes.at(-1)} ms, rbl build ${samples.full.at(-1)} ms`,
      );
    }
    const besRatio = ratioInterval(samples.bes, samples.plain, 3);
    const fullRatio = ratioInterval(samples.full, samples.plain, 4);
    const r = (i: Interval): Interval => ({
      ...i,
      median: round(i.median),
      low: round(i.low),
      high: round(i.high),
    });
    return {
      actions: options.actions,
      runs: options.runs,
      plainMs: Math.round(medianInterval(samples.plain).median),
      besMs: Math.round(medianInterval(samples.bes).median),
      fullMs: Math.round(medianInterval(samples.full).median),
      besRatio: r(besRatio),
      fullRatio: r(fullRatio),
      samples,
    };
  } finally {
    await serve.close('SIGTERM');
    await shutdownWorkspace(ws);
  }
}
