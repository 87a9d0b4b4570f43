// Smoke tests of the benchmark generators (bench/): what they generate decodes with our own
// readers and has the shape the benchmarks rely on, and the same seed gives the same bytes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decompress } from 'fzstd';
import { generateBepStream } from '../../../bench/bep-generate';
import { generateCompactLog, storedZstdFrame } from '../../../bench/compact-log-generate';
import { parseCompact, splitOnly } from '../../../bench/execlog-bench';
import { overheadBuildFile } from '../../../bench/overhead-workspace';
import { decodeBepEvent } from '../../../src/bep/decode';
import { readExecLogFile } from '../../../src/execlog';
import { BuildModel } from '../../../src/model/build-model';

describe('bench generators', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-bench-smoke-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('BEP stream: exactly N events that decode, mostly actions and target completions, ending with last_message', () => {
    const stream = generateBepStream({ events: 500 }, 3);
    assert.equal(stream.events.length, 500);
    const kinds = new Map<string, number>();
    const decoded = stream.events.map((bytes) => decodeBepEvent(bytes));
    for (const e of decoded) {
      const kind = Object.keys(e.id)[0] ?? '?';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    assert.equal(kinds.get('actionCompleted'), stream.actions);
    assert.equal(kinds.get('progress'), stream.progress);
    const actionsAndCompletions =
      (kinds.get('actionCompleted') ?? 0) + (kinds.get('targetCompleted') ?? 0);
    assert.ok(actionsAndCompletions > 250, `actions + completions ${actionsAndCompletions} of 500`);
    assert.ok(stream.outputBlocks > 0, 'some progress chunks carry action output');
    assert.equal(decoded.at(-1)?.lastMessage, true);
    assert.ok(decoded[0]?.started);
    assert.equal(
      stream.bytes,
      stream.events.reduce((n, e) => n + e.length, 0),
    );
  });

  it('BEP stream: seeded (same seed, same bytes; other seed, other bytes) and sized by actions', () => {
    const a = generateBepStream({ events: 200 }, 9);
    const b = generateBepStream({ events: 200 }, 9);
    const c = generateBepStream({ events: 200 }, 10);
    assert.deepEqual(Buffer.concat(a.events), Buffer.concat(b.events));
    assert.notDeepEqual(Buffer.concat(a.events), Buffer.concat(c.events));
    const byActions = generateBepStream({ actions: 321, outputBlockShare: 0 }, 9);
    assert.equal(byActions.actions, 321);
    assert.equal(byActions.outputBlocks, 0);
    const model = new BuildModel();
    for (const bytes of byActions.events) model.applyEvent('inv', decodeBepEvent(bytes), 0);
    assert.equal(model.actions('inv').length, 321);
    assert.equal(model.streamComplete('inv'), true);
    model.dispose();
  });

  it('BEP stream: rejects sizes it cannot honour', () => {
    assert.throws(() => generateBepStream({ events: 2 }), /need >= 3 events/);
    assert.throws(() => generateBepStream({}), /give events or actions/);
  });

  it('compact log: N spawns our reader decodes, every entry found by the split-only peer', async () => {
    const log = generateCompactLog(path.join(dir, 'smoke.exec.zst'), 137, 5, 'stored');
    assert.equal(log.spawns, 137);
    const read = await readExecLogFile(log.file);
    assert.equal(read.error, null);
    assert.equal(read.format, 'compact');
    assert.equal(read.spawns.length, 137);
    const runners = new Set(read.spawns.map((s) => s.runner));
    assert.ok(runners.size >= 3, `a mix of runners: ${[...runners].join(', ')}`);
    const first = read.spawns[0];
    assert.ok(first && first.label?.startsWith('//src/lib0:'));
    assert.ok(first.inputs.length > 40, 'inputs expand through the shared sets');
    assert.ok(first.actualOutputs.every((o) => o.digest?.hash.length === 64));
    const parts = [fs.readFileSync(log.file)];
    assert.equal(parseCompact(parts).spawns, 137);
    assert.equal(splitOnly(parts).records, log.entries);
  });

  it('stored zstd frame: any size round-trips through a real zstd decoder', () => {
    for (const size of [0, 1, 128 * 1024, 128 * 1024 + 1, 300_000]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff);
      assert.deepEqual(
        Buffer.from(decompress(storedZstdFrame(data))),
        Buffer.from(data),
        `size ${size}`,
      );
    }
  });

  it('overhead workspace: one genrule per action, later layers reading earlier outputs', () => {
    const text = overheadBuildFile(10);
    assert.equal(text.match(/^genrule\(/gm)?.length, 10);
    assert.match(text, /name = "g9",\n\s+srcs = \[":g6"\]/);
    assert.doesNotMatch(text, /name = "g0",\n\s+srcs/);
    assert.throws(() => overheadBuildFile(0), /need >= 1 action/);
  });
});
