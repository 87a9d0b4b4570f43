// Measures the cost of running a build through rbl: the same clean build of the example, once
// with plain Bazel and once through `rbl build --json`, in the same run on the same warm server.
// Speed is reported, not asserted; the test checks that both builds did the same work.
import * as assert from 'node:assert/strict';
import { createWorkspace, requireBazel, runBazel, type Workspace } from '../helpers/bazel';
import { parseProcessesLine } from '../helpers/processes-line';
import { rblBuildWrapper } from '../helpers/scenarios';
import { rblCommand, summaryOf } from './engine-rbl';

describe('engine: overhead of rbl build (real Bazel, measured)', function () {
  this.timeout(15 * 60_000);
  let ws: Workspace;

  before(async () => {
    requireBazel();
    ws = createWorkspace('engine-overhead');
    // Warm the server (and rbl's per-binary flag detection) so neither timed build pays for it.
    const warm = await runBazel(ws, ['build', '//...'], {
      wrapper: rblBuildWrapper(rblCommand(), 'rbl-warm'),
    });
    assert.equal(warm.exitCode, 0, warm.stderr.slice(-2000));
  });

  it('a clean build with and without rbl: same work, time ratio reported', async () => {
    const timed = async (wrapped: boolean): Promise<{ ms: number; line: string }> => {
      const clean = await runBazel(ws, ['clean']);
      assert.equal(clean.exitCode, 0);
      const run = await runBazel(
        ws,
        ['build', '//...'],
        wrapped ? { wrapper: rblBuildWrapper(rblCommand(), 'rbl-timed') } : {},
      );
      assert.equal(run.exitCode, 0, run.stderr.slice(-2000));
      if (wrapped) assert.equal(summaryOf(run.stdout).processes.mismatch, null);
      return { ms: run.durationMs, line: parseProcessesLine(run.stderr)?.line ?? '' };
    };
    // The machine is shared: alternate, and compare the fastest of each (least disturbed).
    const plain: number[] = [];
    const rbl: number[] = [];
    for (let round = 0; round < 2; round++) {
      const a = await timed(round % 2 === 1);
      const b = await timed(round % 2 === 0);
      assert.equal(a.line, b.line, 'both builds ran the same processes');
      (round % 2 === 1 ? rbl : plain).push(a.ms);
      (round % 2 === 0 ? rbl : plain).push(b.ms);
    }
    const best = (list: number[]): number => Math.min(...list);
    process.stderr.write(
      `engine: clean build of the example: bazel ${plain.join('/')} ms, rbl build ${rbl.join('/')} ms, ` +
        `ratio of the fastest ${(best(rbl) / best(plain)).toFixed(2)}\n`,
    );
  });
});
