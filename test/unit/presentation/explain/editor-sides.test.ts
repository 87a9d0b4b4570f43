import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { explainSpawns } from '../../../../src/explain';
import { Cancelled, explainStoredInvocation } from '../../../../src/explain/for-editor';
import type { InvocationSummary } from '../../../../src/model/types';
import { MissHints } from '../../../../src/presentation/explain/miss-hints';
import { mdText } from '../../../../src/presentation/markdown';
import { HistoryStore } from '../../../../src/store';
import { InputError } from '../../../../src/util/errors';
import { chain, simulateBuild } from '../../explain/simulated-build';
import { emptySummary } from '../../../helpers/summaries';

function summary(id: string, finishedAt: number): InvocationSummary {
  return emptySummary(id, finishedAt, 1000);
}

describe('explaining stored builds for the editor', () => {
  let ws: string;
  let store: HistoryStore;
  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-why-store-'));
    store = HistoryStore.forWorkspace(ws);
    const keep = (t: string) => t;
    // 1: full build; 2: in.txt edited and //p:c skipped by the action cache; 3: edited again.
    store.record(summary('inv-1', 1000), simulateBuild({ 'in.txt': 'a' }, chain(true)), keep);
    store.record(summary('inv-2', 2000), simulateBuild({ 'in.txt': 'b' }, chain(false)), keep);
    store.record(summary('inv-3', 3000), simulateBuild({ 'in.txt': 'c' }, chain(false)), keep);
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('an invocation against the baseline before it: the edited input, nothing "added"', async () => {
    const stages: string[] = [];
    const r = await explainStoredInvocation(
      store,
      'inv-2',
      { kind: 'baseline' },
      {
        onStage: (s) => stages.push(s),
      },
    );
    assert.deepEqual(
      r.summary.rootCauses.map((c) => [c.kind, 'path' in c ? c.path : null, c.affectedActions]),
      [['input', 'in.txt', 2]],
    );
    assert.equal(r.summary.actions.added, 0);
    assert.deepEqual(stages, ['reading the new build', 'reading the old build', 'explaining']);
  });

  it('any two builds: NEW against the baseline as it stood after OLD', async () => {
    const r = await explainStoredInvocation(store, 'inv-3', { kind: 'invocation', id: 'inv-1' });
    assert.deepEqual(
      r.summary.rootCauses.map((c) => [c.kind, c.affectedActions]),
      [['input', 2]],
    );
    // The same as explaining the logs directly (inv-1 was a full build).
    const direct = explainSpawns(
      simulateBuild({ 'in.txt': 'a' }, chain(true)),
      simulateBuild({ 'in.txt': 'c' }, chain(false)),
    );
    assert.deepEqual(r.summary.rootCauses, direct.summary.rootCauses);
  });

  it('an aborted run throws Cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(
      explainStoredInvocation(store, 'inv-2', { kind: 'baseline' }, { signal: abort.signal }),
      Cancelled,
    );
  });

  it('a damaged stored log is a located InputError naming the file and offset', async () => {
    const damaged = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-why-damaged-'));
    try {
      const s = HistoryStore.forWorkspace(damaged);
      s.record(summary('d-1', 1000), simulateBuild({ 'in.txt': 'a' }, chain(true)), (t) => t);
      s.record(summary('d-2', 2000), simulateBuild({ 'in.txt': 'b' }, chain(true)), (t) => t);
      const log = s.execLogPath('d-1');
      assert.ok(log !== null);
      const text = fs.readFileSync(log, 'utf8');
      fs.writeFileSync(log, `${text.slice(0, Math.floor(text.length / 2))}{"broken": [`);
      const err: unknown = await explainStoredInvocation(s, 'd-2', { kind: 'baseline' }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.source, log);
      assert.equal(typeof err.offset, 'number');
      assert.match(
        err.describe(),
        new RegExp(`^${log.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: at byte \\d+: `),
      );
    } finally {
      fs.rmSync(damaged, { recursive: true, force: true });
    }
  });

  it('an unknown invocation is an InputError, not a crash', async () => {
    await assert.rejects(
      explainStoredInvocation(store, 'nope', { kind: 'baseline' }),
      (e: unknown) => e instanceof InputError && e.source === 'nope',
    );
  });
});

describe('root-cause hints in the tree tooltips', () => {
  const explanation = explainSpawns(
    simulateBuild({ 'in.txt': 'a' }, chain(true)),
    simulateBuild({ 'in.txt': 'b' }, chain(true)),
  );
  const local = { location: 'local' as const, outputs: ['bazel-out/k8/bin/s2'] };
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('no hint until computed; the first lookup computes it once in the background', async () => {
    const computed: string[] = [];
    const ready: string[] = [];
    const hints = new MissHints({
      compute: (id) => {
        computed.push(id);
        return Promise.resolve(explanation);
      },
      busy: () => false,
      onReady: (id) => ready.push(id),
    });
    assert.equal(hints.hint('inv', local), null);
    assert.equal(hints.hint('inv', local), null);
    assert.deepEqual(computed, [], 'the lookup itself never computes');
    await tick();
    assert.deepEqual(computed, ['inv']);
    assert.deepEqual(ready, ['inv']);
    assert.equal(
      hints.hint('inv', local),
      'Why it missed: changed: input changed: in.txt (via bazel-out/k8/bin/s1)',
    );
    // Cache hits and actions that did not change get no hint.
    assert.equal(hints.hint('inv', { ...local, location: 'disk-cache' }), null);
    assert.equal(hints.hint('inv', { location: 'local', outputs: ['bazel-out/k8/bin/c'] }), null);
  });

  it('nothing is computed while a build runs; a failure is not retried', async () => {
    let building = true;
    let calls = 0;
    const hints = new MissHints({
      compute: () => {
        calls++;
        return Promise.reject(new Error('damaged'));
      },
      busy: () => building,
      onReady: () => undefined,
    });
    hints.hint('inv', local);
    await tick();
    assert.equal(calls, 0);
    building = false;
    hints.hint('inv', local);
    await tick();
    hints.hint('inv', local);
    await tick();
    assert.equal(calls, 1);
    hints.put('inv', explanation);
    assert.match(hints.hint('inv', local) ?? '', /in\.txt/);
  });

  it('keeps the explanations of the last few invocations only', () => {
    const hints = new MissHints({
      compute: () => Promise.resolve(null),
      busy: () => true,
      onReady: () => undefined,
      keep: 2,
    });
    for (const id of ['a', 'b', 'c']) hints.put(id, explanation);
    assert.deepEqual(
      ['a', 'b', 'c'].map((id) => hints.has(id)),
      [false, true, true],
    );
  });

  it('an explanation that fell out of the kept few is not recomputed on its own (no loop)', async () => {
    const computed: string[] = [];
    const hints = new MissHints({
      compute: (id) => {
        computed.push(id);
        return Promise.resolve(explanation);
      },
      busy: () => false,
      onReady: () => undefined,
      keep: 1,
    });
    hints.hint('a', local);
    await tick();
    hints.hint('b', local);
    await tick();
    assert.equal(hints.has('a'), false);
    assert.equal(hints.hint('a', local), null);
    await tick();
    assert.deepEqual(computed, ['a', 'b']);
    hints.put('a', explanation); // the command computed it again: it is kept again
    assert.notEqual(hints.hint('a', local), null);
  });

  it('a hint is literal text in a Markdown tooltip', () => {
    assert.equal(mdText('a_b*[c](d) <e>'), 'a\\_b\\*\\[c\\]\\(d\\) \\<e\\>');
  });
});
