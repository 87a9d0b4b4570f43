// The history store: atomic files, bounded history, the merged per-output baseline, no secrets.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readExecLogFile } from '../../../src/execlog';
import type { Spawn } from '../../../src/execlog/types';
import type { InvocationSummary } from '../../../src/model/types';
import { HistoryStore } from '../../../src/store';
import { Redactor } from '../../../src/bes/redact';
import { emptySummary } from '../../helpers/summaries';

function spawn(index: number, output: string, env: { name: string; value: string }[] = []): Spawn {
  return {
    index,
    mnemonic: 'Genrule',
    label: `//p:${index}`,
    progressMessage: null,
    args: ['/bin/bash', '-c', `echo ${index}`],
    env,
    platform: [],
    inputs: [
      {
        path: 'p/in.txt',
        digest: { hash: 'ab'.repeat(32), sizeBytes: 3 },
        isTool: false,
        symlinkTarget: null,
      },
    ],
    listedOutputs: [output],
    actualOutputs: [],
    runner: 'linux-sandbox',
    cacheHit: false,
    status: '',
    exitCode: 0,
    remotable: true,
    cacheable: true,
    remoteCacheable: true,
    timeoutMillis: 0,
    digest: null,
    wallTimeMs: null,
  };
}

function summary(id: string, finishedAt: number): InvocationSummary {
  return emptySummary(id, finishedAt);
}

describe('history store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-store-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps summaries and logs readable by the log readers, git-ignored', async () => {
    const store = HistoryStore.forWorkspace(dir);
    store.record(summary('inv-1', 1000), [spawn(0, 'out/a'), spawn(1, 'out/b')], (t) => t);
    assert.equal(fs.readFileSync(path.join(dir, '.rbl', '.gitignore'), 'utf8').split('\n')[1], '*');
    assert.equal(store.summary('inv-1')?.invocationId, 'inv-1');
    const log = await readExecLogFile(store.execLogPath('inv-1') ?? '');
    assert.equal(log.error, null);
    assert.deepEqual(
      log.spawns.map((s) => s.listedOutputs[0]),
      ['out/a', 'out/b'],
    );
    assert.equal(log.spawns[0]?.inputs[0]?.digest?.hash, 'ab'.repeat(32));
  });

  it('merges the last known spawn of each output set into the baseline', async () => {
    const store = HistoryStore.forWorkspace(dir);
    store.record(summary('inv-1', 1000), [spawn(0, 'out/a'), spawn(1, 'out/b')], (t) => t);
    // The second build re-ran only out/b (out/a came from the local action cache: not logged).
    store.record(summary('inv-2', 2000), [spawn(7, 'out/b'), spawn(8, 'out/c')], (t) => t);
    const baseline = await readExecLogFile(store.baselinePath() ?? '');
    const byOutput = new Map(baseline.spawns.map((s) => [s.listedOutputs[0], s.label]));
    assert.deepEqual([...byOutput].sort(), [
      ['out/a', '//p:0'],
      ['out/b', '//p:7'],
      ['out/c', '//p:8'],
    ]);
  });

  it('drops the oldest invocations beyond the count and byte limits', () => {
    const store = HistoryStore.forWorkspace(dir, { maxInvocations: 2, maxBytes: 1 << 30 });
    for (let i = 1; i <= 4; i++)
      store.record(summary(`inv-${i}`, i * 1000), [spawn(i, `out/${i}`)], (t) => t);
    assert.deepEqual(
      store.list().map((s) => s.id),
      ['inv-3', 'inv-4'],
    );
    const tiny = new HistoryStore(path.join(dir, 'tiny'), { maxInvocations: 100, maxBytes: 2000 });
    for (let i = 1; i <= 4; i++)
      tiny.record(summary(`inv-${i}`, i * 1000), [spawn(i, `out/${i}`)], (t) => t);
    assert.ok(tiny.list().length < 4 && tiny.list().length >= 1);
    assert.equal(tiny.list().pop()?.id, 'inv-4');
  });

  it('never stores a secret: redacted text and secret-looking env values', () => {
    const store = HistoryStore.forWorkspace(dir);
    const redactor = new Redactor();
    redactor.text('--remote_header=x-api-key=sekrit-value-42');
    const s = spawn(0, 'out/a', [
      { name: 'API_TOKEN', value: 'tok-abcdef' },
      { name: 'HEADER', value: 'has sekrit-value-42 inside' },
    ]);
    const sum = summary('inv-1', 1000);
    sum.processes.mismatch = 'see --remote_header=x-api-key=sekrit-value-42';
    store.record(sum, [s], (t) => redactor.text(t));
    const all = fs
      .readdirSync(path.join(dir, '.rbl', 'history'), { recursive: true })
      .map((f) => path.join(dir, '.rbl', 'history', String(f)))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    assert.ok(!all.includes('sekrit-value-42'));
    assert.ok(!all.includes('tok-abcdef'));
    assert.ok(all.includes('x-api-key=***'));
  });

  it('leaves no temporary files behind', () => {
    const store = HistoryStore.forWorkspace(dir);
    store.record(summary('inv-1', 1000), [spawn(0, 'out/a')], (t) => t);
    const names = fs.readdirSync(path.join(dir, '.rbl'), { recursive: true }).map(String);
    assert.deepEqual(
      names.filter((n) => n.endsWith('.tmp') || n.includes('.lock')),
      [],
    );
  });
});
