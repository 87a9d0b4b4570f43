// "Clear history" empties the one history store on disk: every invocation and the baseline go,
// the store keeps working afterwards, and a reader never sees half an invocation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Spawn } from '../../../src/execlog/types';
import type { InvocationSummary } from '../../../src/model/types';
import { HistoryStore } from '../../../src/store';
import { emptySummary } from '../../helpers/summaries';
import { simulateBuild } from '../explain/simulated-build';

function summary(id: string, finishedAt: number): InvocationSummary {
  return emptySummary(id, finishedAt);
}

function spawn(output: string): Spawn {
  return simulateBuild({}, [{ outputs: [output], label: '//p:x', args: ['/bin/true'] }])[0];
}

describe('history store: clear()', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-store-clear-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes every invocation and the baseline, keeps .gitignore, and records again after', () => {
    const store = HistoryStore.forWorkspace(dir);
    for (let i = 1; i <= 3; i++)
      store.record(summary(`inv-${i}`, i * 1000), [spawn(`o/${i}`)], String);
    assert.equal(store.list().length, 3);
    assert.notEqual(store.baselinePath(), null);

    assert.equal(store.clear(), 3);

    assert.deepEqual(store.list(), []);
    assert.equal(store.baselinePath(), null);
    assert.equal(store.summary('inv-2'), null);
    assert.deepEqual(fs.readdirSync(store.dir), [], 'nothing left behind (no lock, no trash)');
    assert.ok(fs.existsSync(path.join(dir, '.rbl', '.gitignore')), 'still git-ignored');
    // A second store object (another window, the CLI) sees the same empty store.
    assert.deepEqual(HistoryStore.forWorkspace(dir).list(), []);
    store.record(summary('inv-4', 4000), [spawn('o/4')], String);
    assert.deepEqual(
      store.list().map((s) => s.id),
      ['inv-4'],
    );
  });

  it('is a no-op on a workspace that never built, and removes a crashed clear’s leftovers', () => {
    assert.equal(HistoryStore.forWorkspace(dir).clear(), 0);
    const store = HistoryStore.forWorkspace(dir);
    store.record(summary('inv-1', 1000), null, String);
    const leftover = path.join(store.dir, '~cleared-old');
    fs.mkdirSync(leftover);
    fs.writeFileSync(path.join(leftover, 'summary.json'), JSON.stringify(summary('old', 1)));
    assert.deepEqual(
      store.list().map((s) => s.id),
      ['inv-1'],
      'a folder being deleted is never listed',
    );
    assert.equal(store.clear(), 1);
    assert.deepEqual(fs.readdirSync(store.dir), []);
  });

  it('waits for a build holding the store lock instead of clearing under it', () => {
    const store = HistoryStore.forWorkspace(dir);
    store.record(summary('inv-1', 1000), null, String);
    const lock = path.join(store.dir, '.lock');
    fs.mkdirSync(lock);
    // A fresh lock is respected: clear() times out rather than deleting under the holder.
    const started = Date.now();
    assert.throws(() => store.clear(200), /timed out waiting for the lock/);
    assert.ok(Date.now() - started >= 150);
    assert.equal(store.list().length, 1, 'nothing was deleted while the lock was held');
    fs.rmdirSync(lock);
    assert.equal(store.clear(), 1);
  });
});
