// Load (issue 10): many invocations replayed through one sink into one model and one history
// store, as the editor's engine records them: real gRPC streams of the recorded Bazel 4.2.3
// scenarios, several at once. The heap (after a full GC) and the open file descriptors are
// printed before and after and must stay flat within a stated tolerance; the store stays within
// its cap. RBL_REPLAY_INVOCATIONS=1000 in the long variant (scripts/long-tests.sh).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { BesSink } from '../../src/bes/sink';
import { BuildModel } from '../../src/model/build-model';
import { HistoryStore, type StoreLimits } from '../../src/store/history-store';
import { BesTestClient, bepRecords, fullStream } from '../unit/bes/bes-client';
import { fixturesDir } from '../unit/model/shared-fixtures';

const INVOCATIONS = Number(process.env.RBL_REPLAY_INVOCATIONS ?? 200);
/** Streams in flight at once. */
const CONCURRENCY = 8;
/** Warm-up invocations before the first measurement (JIT, gRPC buffers, caches). */
const WARM_UP = 40;
/** Heap growth allowed from before to after: the store keeps nothing in memory. */
const HEAP_TOLERANCE_BYTES = 8 * 1024 * 1024;
/** Descriptors allowed to differ (a gRPC subchannel reconnecting). */
const FD_TOLERANCE = 2;
const LIMITS: StoreLimits = { maxInvocations: 50, maxBytes: 4 * 1024 * 1024 };

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('load: invocations replayed through one sink into the model and the history store', function () {
  this.timeout(30 * 60_000);
  const scenarios = fs
    .readdirSync(fixturesDir())
    .filter((d) => fs.existsSync(path.join(fixturesDir(), d, 'bep.bin')))
    .map((d) => bepRecords(path.join(fixturesDir(), d, 'bep.bin')));
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-load-replay-'));
  let sink: BesSink;
  let client: BesTestClient;
  let model: BuildModel;
  let store: HistoryStore;
  let recorded = 0;
  let next = 0;

  before(async () => {
    assert.ok(scenarios.length >= 5, 'the shared fixtures hold too few BEP recordings');
    sink = new BesSink({ acceptInvocation: (id) => id.startsWith('replay-') });
    model = new BuildModel();
    store = new HistoryStore(storeDir, LIMITS);
    sink.onEvent.event((e) => model.applyEvent(e.invocationId, e.event, e.receivedAt));
    sink.onStreamFinished.event((id) => {
      // What the runner does at a build's end: complete the model, record, forget.
      model.endInvocation(id, null);
      const summary = model.summary(id);
      if (summary) store.record(summary, null, (t) => t);
      model.forget(id);
      recorded++;
    });
    client = new BesTestClient(await sink.listen('127.0.0.1:0'));
  });

  after(async () => {
    client?.close();
    await sink?.close();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  /** Replays `count` invocations, CONCURRENCY at a time; every stream must end OK. */
  async function replay(count: number): Promise<void> {
    const end = next + count;
    const lane = async (): Promise<void> => {
      while (next < end) {
        const n = next++;
        const records = scenarios[n % scenarios.length] ?? [];
        const ids = { buildId: `build-${n}`, invocationId: `replay-${n}` };
        const outcome = await client.stream(fullStream(ids, records));
        assert.equal(outcome.status.code, 0, `invocation ${n}: ${outcome.status.details}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    const target = end;
    const deadline = Date.now() + 10_000;
    while (recorded < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(recorded, target, 'not every finished stream was recorded');
  }

  it(`${INVOCATIONS} invocations: heap and descriptors flat, the store within its cap`, async () => {
    await replay(WARM_UP);
    const heapBefore = heapUsed();
    const fdsBefore = openFds();
    const started = Date.now();
    await replay(INVOCATIONS);
    const seconds = (Date.now() - started) / 1000;
    const heapAfter = heapUsed();
    const fdsAfter = openFds();
    const stored = store.list().length;
    const bytes = dirBytes(storeDir);
    console.log(
      `      ${INVOCATIONS} invocations in ${seconds.toFixed(1)} s (${CONCURRENCY} streams at once): ` +
        `heap ${mb(heapBefore)} -> ${mb(heapAfter)}, open fds ${fdsBefore} -> ${fdsAfter}, ` +
        `store ${stored} invocations / ${mb(bytes)} (cap ${LIMITS.maxInvocations} / ${mb(LIMITS.maxBytes)})`,
    );
    assert.ok(
      heapAfter - heapBefore < HEAP_TOLERANCE_BYTES,
      `heap grew by ${mb(heapAfter - heapBefore)} (tolerance ${mb(HEAP_TOLERANCE_BYTES)})`,
    );
    assert.ok(
      Math.abs(fdsAfter - fdsBefore) <= FD_TOLERANCE,
      `open descriptors ${fdsBefore} -> ${fdsAfter} (tolerance ${FD_TOLERANCE})`,
    );
    assert.equal(model.invocations().length, 0, 'the model kept forgotten invocations');
    assert.ok(stored <= LIMITS.maxInvocations, `${stored} invocations stored`);
    // The cap is checked after each record; one summary may overshoot it until the next.
    assert.ok(bytes <= LIMITS.maxBytes + 64 * 1024, `${mb(bytes)} stored`);
  });
});
