import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runRbl } from '../../helpers/cli';
import type { InvocationSummary } from '../../../src/model/types';
import { HistoryStore } from '../../../src/store';
import { chain, simulateBuild } from './simulated-build';
import { emptySummary } from '../../helpers/summaries';

function summary(id: string, finishedAt: number): InvocationSummary {
  return emptySummary(id, finishedAt, 1000);
}

const rbl = (cwd: string, ...args: string[]) => runRbl(args, { cwd });

describe('rbl explain against the history store baseline', () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'rbl-explain-history-'));
    const store = HistoryStore.forWorkspace(ws);
    const keep = (t: string) => t;
    // 1: a full build. 2: in.txt edited, and Bazel's action cache skipped //p:c (not in the log).
    store.record(summary('inv-1', 1000), simulateBuild({ 'in.txt': 'a' }, chain(true)), keep);
    store.record(summary('inv-2', 2000), simulateBuild({ 'in.txt': 'b' }, chain(false)), keep);
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('compares NEW with the baseline before it, not with itself', async () => {
    const r = await rbl(ws, 'explain', 'baseline', 'inv-2', '--json');
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as {
      actions: Record<string, number>;
      rootCauses: { kind: string; path: string; affectedActions: number }[];
    };
    assert.deepEqual(
      result.rootCauses.map((c) => [c.kind, c.path, c.affectedActions]),
      [['input', 'in.txt', 2]],
    );
    // The skipped action is known from the baseline and counted as not run, not removed.
    assert.equal(result.actions.notRun, 1);
    assert.equal(result.actions.removed, 0);
  });

  it('an OLD id means the baseline as it stood after OLD', async () => {
    const r = await rbl(ws, 'explain', 'inv-1', 'inv-2', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { actions: { changed: number } }).actions.changed, 2);
    const same = await rbl(ws, 'explain', 'inv-2', 'inv-2', '--json');
    assert.deepEqual((JSON.parse(same.stdout) as { rootCauses: unknown[] }).rootCauses, []);
  });

  it('an unknown id is a usage error naming it', async () => {
    const r = await rbl(ws, 'explain', 'inv-1', 'inv-9');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^rbl: explain: inv-9: no such execution log file or invocation id/);
  });
});
