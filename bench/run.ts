/**
 * `npm run bench [-- --json]`: runs every benchmark part in turn (progress on stderr) and prints
 * the report: a table, or with --json one JSON object with every figure of issue 9's table.
 * A part that fails leaves its figures null with the error as the reason, and exit code 1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RigMissingError, runActivationBench } from './activation-bench';
import { FULL_SHAPE, runCacheMissBench } from './cache-miss-bench';
import { generateCompactLog } from './compact-log-generate';
import { runExeclogBench } from './execlog-bench';
import { runIngestBench } from './ingest-bench';
import { runModelBench } from './model-bench';
import { BenchUsageError, USAGE, parseBenchArgs, type BenchOptions, type Part } from './options';
import { runOverheadBench } from './overhead-bench';
import { BenchReport } from './report';
import { runUiBench } from './ui-bench';

const say = (line: string): void => {
  process.stderr.write(`rbl bench: ${line}\n`);
};

async function runPart(
  part: Part,
  options: BenchOptions,
  report: BenchReport,
  scratch: string,
): Promise<void> {
  switch (part) {
    case 'ingest': {
      const f = await runIngestBench(
        {
          events: options.ingestEvents,
          runs: options.runs,
          seed: options.seed,
          runLimitMs: options.ingestRunLimitMs,
        },
        say,
      );
      const partial = f.complete
        ? undefined
        : `the end-to-end run hit the ${options.ingestRunLimitMs / 1000} s limit: rate of the events held by then`;
      // The goal is judged against what the transport itself allows here, in the same run.
      const floor =
        `floors in the same run (same client, servers that only ack): the sink's transport ` +
        `${f.transportFloorEventsPerSec}/s (end to end / floor ${f.floorRatio.median}), ` +
        `grpc-js ${f.grpcJsFloorEventsPerSec}/s`;
      report.set('ingest.eventsPerSec', f.eventsPerSec, {
        reason: partial ? `${partial}; ${floor}` : floor,
      });
      report.set('ingest.decodeOnlyEventsPerSec', f.decodeOnlyEventsPerSec);
      report.set('ingest.ratio', f.ratio.median, { interval: f.ratio, reason: partial });
      report.details.ingest = f;
      return;
    }
    case 'overhead': {
      const f = await runOverheadBench(
        { actions: options.overheadActions, runs: options.overheadRuns },
        say,
      );
      report.set('overhead.besRatio', f.besRatio.median, { interval: f.besRatio });
      report.set('overhead.fullRatio', f.fullRatio.median, { interval: f.fullRatio });
      report.details.overhead = f;
      return;
    }
    case 'model': {
      // The realistic stream: 30 % of the progress events carry an action's console output,
      // which the model keeps with its action.
      const outputBlockShare = 0.3;
      const f = runModelBench(
        { actions: options.modelActions, runs: 1, seed: options.seed, outputBlockShare },
        say,
      );
      report.set('model.bytesPerAction', f.bytesPerAction);
      report.details.model = { ...f, outputBlockShare };
      return;
    }
    case 'execlog': {
      say(`execlog: generating a ${options.execlogSpawns}-spawn compact log`);
      const log = generateCompactLog(
        path.join(scratch, 'bench.exec.zst'),
        options.execlogSpawns,
        options.seed,
      );
      const f = runExeclogBench(log, options.runs, say);
      report.set('execlog.mbPerSec', f.mbPerSec);
      report.set('execlog.ratio', f.ratio.median, {
        interval: f.ratio,
        reason: `CPU time per side; wall-time ratio ${f.wallRatio.median}`,
      });
      report.details.execlog = f;
      return;
    }
    case 'explain': {
      say(`explain: generating a pair of ${options.explainPackages * 100}-action logs`);
      const shape = {
        ...FULL_SHAPE,
        packages: options.explainPackages,
        affectedPackages: Math.max(1, Math.round(options.explainPackages / 20)),
      };
      const f = runCacheMissBench(scratch, shape, options.runs, say);
      report.set('explain.ms', f.ms);
      report.set('explain.parseMs', f.parseMs);
      report.set('explain.ratio', f.ratio.median, { interval: f.ratio });
      report.set('explain.peakRssMb', f.peakRssMb);
      report.details.explain = f;
      return;
    }
    case 'ui': {
      const f = await runUiBench({
        eventsPerSec: options.uiEventsPerSec,
        seconds: options.uiSeconds,
        seed: options.seed,
      });
      const behind =
        f.eventsBehind > 0 ? `the model fell ${f.eventsBehind} events behind the feed` : undefined;
      report.set('ui.refreshesPerSec', f.refreshesPerSec, { reason: behind });
      report.set('ui.loopLagP99Ms', f.loopLagP99Ms, { reason: behind });
      report.details.ui = f;
      return;
    }
    case 'activation': {
      let f;
      try {
        f = await runActivationBench({ runs: options.runs }, say);
      } catch (err) {
        // Without the rig there is no number to give: a loud error, a failed run under CI.
        if (!(err instanceof RigMissingError) || process.env.CI === 'true') throw err;
        say(`activation: ERROR: ${err.message}`);
        report.unmeasured('activation', `error: ${err.message}`);
        return;
      }
      report.set('activation.ms', f.ms);
      report.set('activation.ratio', f.ratio.median, { interval: f.ratio });
      report.details.activation = f;
      return;
    }
  }
}

export async function runBench(
  options: BenchOptions,
): Promise<{ report: BenchReport; failed: boolean }> {
  const report = new BenchReport();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-bench-'));
  let failed = false;
  try {
    for (const part of options.parts) {
      const started = Date.now();
      say(`${part}: start`);
      try {
        await runPart(part, options, report, scratch);
      } catch (err) {
        failed = true;
        const message = err instanceof Error ? err.message : String(err);
        say(`${part}: FAILED: ${message}`);
        report.unmeasured(part, `failed: ${message.split('\n')[0]}`);
      }
      say(`${part}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { report, failed };
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    if (process.argv.includes('--help') || process.argv.includes('-h')) {
      process.stdout.write(USAGE);
      return;
    }
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    process.stderr.write(`rbl bench: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  const { report, failed } = await runBench(options);
  process.stdout.write(
    options.json ? `${JSON.stringify(report.toJson(), null, 2)}\n` : report.toText(),
  );
  if (failed) process.exitCode = 1;
  if (options.parts.has('overhead')) {
    // The harness's own teardown: no Bazel server of ours outlives the run.
    const { shutdownAll } = await import('../test/helpers/bazel');
    await shutdownAll();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`rbl bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
