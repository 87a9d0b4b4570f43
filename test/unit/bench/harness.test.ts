// Smoke tests of the benchmark harness on tiny sizes: statistics, options, the report's keys,
// and each benchmark part end to end (real gRPC client process, child processes), so the
// benchmarks do not rot. No timing is asserted: only that the parts measure what they claim.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCacheMissBench } from '../../../bench/cache-miss-bench';
import { generateCompactLog } from '../../../bench/compact-log-generate';
import { runExeclogBench } from '../../../bench/execlog-bench';
import { runIngestBench } from '../../../bench/ingest-bench';
import { runModelBench } from '../../../bench/model-bench';
import { BenchUsageError, DEFAULTS, parseBenchArgs } from '../../../bench/options';
import { BenchReport, FIGURE_KEYS } from '../../../bench/report';
import { median, quantile, ratioInterval } from '../../../bench/stats';
import { runUiBench } from '../../../bench/ui-bench';

const quiet = (): void => undefined;

describe('bench harness', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-bench-harness-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('statistics: median, quantiles and a seeded bootstrap interval around the ratio of medians', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(quantile([0, 10], 0.25), 2.5);
    const a = [10, 11, 12, 13, 14];
    const b = [5, 5.5, 6, 6.5, 7];
    const r = ratioInterval(a, b, 7);
    assert.equal(r.median, 2);
    assert.ok(r.low <= 2 && r.high >= 2 && r.low < r.high, JSON.stringify(r));
    assert.deepEqual(ratioInterval(a, b, 7), r);
    assert.throws(() => median([]), /no values/);
  });

  it('options: defaults are the issue sizes, flags override, bad input is a usage error', () => {
    const o = parseBenchArgs([
      '--json',
      '--only',
      'ingest,ui',
      '--runs=7',
      '--overhead-actions',
      '2000',
    ]);
    assert.equal(o.json, true);
    assert.deepEqual([...o.parts], ['ingest', 'ui']);
    assert.equal(o.runs, 7);
    assert.equal(o.overheadActions, 2000);
    assert.equal(DEFAULTS.ingestEvents, 200_000);
    assert.equal(DEFAULTS.execlogSpawns, 100_000);
    assert.ok(DEFAULTS.runs >= 5);
    assert.throws(() => parseBenchArgs(['--only', 'nope']), BenchUsageError);
    assert.throws(() => parseBenchArgs(['--runs', '-1']), /positive number/);
    assert.throws(() => parseBenchArgs(['--frobnicate']), /unknown option/);
  });

  it('report: every key of the issue table, null with a reason when not measured, goals judged', () => {
    const report = new BenchReport();
    report.set('execlog.ratio', 0.4, {
      interval: { median: 0.4, low: 0.3, high: 0.5, samples: 5 },
    });
    report.unmeasured('activation', 'not yet');
    const json = report.toJson() as Record<string, unknown> & {
      goals: Record<string, { met: boolean | null }>;
      reasons: Record<string, string>;
      execlog: { ratio: number };
    };
    for (const key of FIGURE_KEYS) assert.ok(key in json, key);
    assert.equal(json['execlog.ratio'], 0.4);
    assert.equal(json.execlog.ratio, 0.4);
    assert.equal(json.goals['execlog.ratio']?.met, false);
    assert.equal(json['activation.ms'], null);
    assert.equal(json.reasons['activation.ms'], 'not yet');
    assert.match(json.reasons['ingest.eventsPerSec'] ?? '', /not run/);
    assert.match(report.toText(), /execlog\.ratio\s+0\.4 \[0\.3, 0\.5\]\s+goal >= 0\.5: MISSED/);
  });

  it('ingest: a separate client process streams over gRPC until the model holds every event', async () => {
    const f = await runIngestBench({ events: 300, runs: 1, seed: 1, runLimitMs: 60_000 }, quiet);
    assert.equal(f.complete, true);
    assert.equal(f.endToEndMs.length, 1);
    assert.equal(f.sinkOnlyMs.length, 1);
    assert.ok(f.eventsPerSec > 0 && f.decodeOnlyEventsPerSec > 0 && f.sinkOnlyEventsPerSec > 0);
    assert.ok(f.ratio.median > 0);
    const cpu = f.cpuMicrosPerEvent;
    assert.ok(cpu.endToEnd > 0 && cpu.sinkOnly > 0 && cpu.decodeOnly > 0, JSON.stringify(cpu));
    // The floors: the same client into servers that only ack, every request counted and acked
    // with status OK; the grpc-js one also checks the client's wire format against grpc-js.
    assert.equal(f.floorMs.length, 1);
    assert.equal(f.grpcJsFloorMs.length, 1);
    assert.ok(
      f.transportFloorEventsPerSec > 0 && f.floorRatio.median > 0 && f.floorCpuMicrosPerEvent > 0,
    );
    assert.ok(f.grpcJsFloorEventsPerSec > 0);
  });

  it('ingest: a run past its time limit reports the rate so far, marked incomplete', async () => {
    const f = await runIngestBench({ events: 3000, runs: 2, seed: 1, runLimitMs: 1 }, quiet);
    assert.equal(f.complete, false);
    // Only the first run of each streamed side: the rest would hit the same limit.
    assert.equal(f.endToEndMs.length, 1);
    assert.equal(f.sinkOnlyMs.length, 1);
    assert.equal(f.decodeOnlyMs.length, 2);
  });

  it('model: retained bytes per action measured in a --expose-gc child', () => {
    const f = runModelBench({ actions: 300, runs: 1, seed: 1, outputBlockShare: 0 }, quiet);
    assert.equal(f.actions, 300);
    assert.ok(f.bytesPerAction > 0, `${f.bytesPerAction}`);
  });

  it('execlog: parse vs decompress-and-split of the same log', () => {
    const log = generateCompactLog(path.join(dir, 'h.exec.zst'), 200, 2, 'stored');
    const f = runExeclogBench(log, 1, quiet);
    assert.equal(f.spawns, 200);
    assert.equal(f.parseMs.length, 1);
    assert.ok(f.ratio.median > 0 && f.mbPerSec > 0);
  });

  it('explain: parse and explain runs of a small generated pair, changed actions checked', () => {
    const f = runCacheMissBench(
      dir,
      { packages: 4, compilesPerPackage: 9, affectedPackages: 1 },
      1,
      quiet,
    );
    assert.equal(f.actionsPerLog, 40);
    assert.equal(f.changed, 10);
    assert.ok(f.rootCauses.length >= 1);
    assert.ok(f.peakRssMb > 0 && f.ms > 0 && f.parseMs > 0);
  });

  it('ui: the coalesced change stream under a steady feed: refreshes and loop lag measured', async () => {
    const f = await runUiBench({ eventsPerSec: 2000, seconds: 0.5, seed: 1 });
    assert.equal(f.eventsFed + f.eventsBehind, 1000);
    assert.ok(f.refreshes >= 1);
    assert.ok(f.loopLagP99Ms >= 0);
  });
});
