// `kill -9` of the Bazel client in the middle of a build (held open by the example's gate
// target): the runner does not hang, the invocation ends "aborted" (not finished, not a user's
// interrupt) and the targets that had not finished are aborted in the model, as the tree shows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { BuildModel } from '../../src/model/build-model';
import type { BuildResult } from '../../src/runner/build-session';
import {
  armGate,
  createWorkspace,
  processesMentioning,
  requireBazel,
  shutdownWorkspace,
  type Workspace,
} from '../helpers/bazel';
import { inProcessBuild } from './in-process-build';

/** The Bazel client's pid: the one process whose command line carries the invocation id. */
function clientPid(invocationId: string): number {
  const pids = processesMentioning(`--invocation_id=${invocationId}`).filter((pid) => {
    try {
      return !fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('A-server.jar');
    } catch {
      return false;
    }
  });
  assert.equal(pids.length, 1, `Bazel clients of ${invocationId}: ${pids.join(', ')}`);
  return pids[0] ?? 0;
}

describe('engine: the Bazel client killed mid-build (real Bazel)', function () {
  this.timeout(10 * 60_000);
  let ws: Workspace;

  before(() => {
    requireBazel();
    ws = createWorkspace('engine-client-killed');
  });

  after(async () => {
    if (ws) await shutdownWorkspace(ws);
  });

  it('kill -9 of the client: the invocation is aborted, unfinished targets aborted, no hang', async () => {
    const gate = armGate(ws);
    const model = new BuildModel();
    let invocationId = '';
    const build = inProcessBuild(ws, ['build', ...gate.args, '//gate:after_gate'], {
      model,
      besTimeoutSecs: 20,
      onStarted: (info) => {
        invocationId = info.invocationId;
      },
    });
    let ended = false;
    void build.result.finally(() => (ended = true)).catch(() => undefined);
    let result: BuildResult;
    let killedAt: number;
    try {
      await gate.reached(180_000, () => ended);
      assert.equal(model.invocation(invocationId)?.state, 'running');
      process.kill(clientPid(invocationId), 'SIGKILL');
      killedAt = Date.now();
      result = await build.result;
    } finally {
      gate.release();
    }
    const tookMs = Date.now() - killedAt;
    process.stderr.write(`engine: runner done ${tookMs} ms after kill -9 of the Bazel client\n`);
    const out = build.output.text().slice(-3000);
    assert.equal(result.bazelExitCode, null, `Bazel exited by itself:\n${out}`);
    assert.equal(result.summary.state, 'aborted', out);
    assert.equal(model.invocation(invocationId)?.state, 'aborted');
    assert.notEqual(result.exitCode, 0, 'a killed build reported success');
    const after = model.targets(invocationId).find((t) => t.label === '//gate:after_gate');
    assert.ok(after, JSON.stringify(model.targets(invocationId).map((t) => t.label)));
    assert.equal(after.state, 'aborted');
    assert.ok(tookMs < 30_000, `the runner took ${tookMs} ms to give up`);
  });
});
