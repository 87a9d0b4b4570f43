// Builds held at the example's gate target: SIGINT cancels (Bazel exits 8, the invocation is
// interrupted); a sink killed mid-build gives besError plus the real result and nothing hangs.
// Also measures the delay from an action's end (its output's mtime) to the model update.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BesSink } from '../../src/bes/sink';
import { BuildModel } from '../../src/model/build-model';
import type { BuildResult } from '../../src/runner/build-session';
import {
  armGate,
  createWorkspace,
  requireBazel,
  startHeldBuild,
  type Workspace,
} from '../helpers/bazel';
import { rblBuildWrapper } from '../helpers/scenarios';
import { rblCommand, summaryOf } from './engine-rbl';
import { inProcessBuild } from './in-process-build';

describe('engine: held builds (real Bazel)', function () {
  this.timeout(10 * 60_000);
  let ws: Workspace;

  before(() => {
    requireBazel();
    ws = createWorkspace('engine-held');
  });

  it('SIGINT to rbl build cancels the build: exit 8, invocation interrupted, unfinished targets aborted', async () => {
    const held = startHeldBuild(ws, { wrapper: rblBuildWrapper(rblCommand(), 'rbl-sigint') });
    await held.reached();
    held.signal('SIGINT');
    const run = await held.result;
    assert.equal(run.exitCode, 8, run.stderr.slice(-3000));
    const summary = summaryOf(run.stdout);
    assert.equal(summary.exitCode, 8);
    assert.equal(summary.state, 'interrupted');
    assert.equal(summary.besError, null);
    const after = summary.targets.find((t) => t.label === '//gate:after_gate');
    assert.ok(after, JSON.stringify(summary.targets));
    assert.equal(after.success, null);
  });

  it('a sink that dies mid-build: besError set, the real result reported, nothing hangs', async () => {
    const gate = armGate(ws);
    let sink: BesSink | null = null;
    const { output: out, result: build } = inProcessBuild(
      ws,
      ['build', ...gate.args, '//gate:after_gate'],
      {
        besTimeoutSecs: 20,
        onStarted: (info) => {
          sink = info.sink;
        },
      },
    );
    let result: BuildResult;
    try {
      await gate.reached(180_000);
      assert.ok(sink);
      (sink as BesSink).kill();
    } finally {
      gate.release();
      result = await build;
    }
    assert.ok(
      result.bazelExitCode === 38 || result.bazelExitCode === 45,
      `Bazel exited ${result.bazelExitCode}\n${out.text().slice(-3000)}`,
    );
    assert.equal(result.exitCode, 0, 'the build itself succeeded');
    assert.equal(result.summary.exitCode, 0);
    assert.ok(result.summary.besError);
    assert.match(result.summary.besError.message, /Build Event Protocol upload/);
    assert.equal(result.summary.besError.bazelExitCode, result.bazelExitCode);
  });

  it('delivers each finished action to the model within moments of its end (measured)', async () => {
    const model = new BuildModel();
    fs.writeFileSync(path.join(ws.dir, 'gen', 'input.txt'), `delay probe ${Date.now()}\n`);
    const build = inProcessBuild(
      ws,
      ['build', '--action_env=GREETING=delay', '//gen:all', '//env:all'],
      { model },
    );
    const out = build.output;
    const result = await build.result;
    assert.equal(result.exitCode, 0, out.text().slice(-3000));
    const genrules = model
      .actions(result.summary.invocationId)
      .filter((a) => a.mnemonic === 'Genrule' && a.primaryOutput);
    assert.ok(genrules.length >= 3);
    const delays = genrules.map((a) => {
      const mtime = fs.statSync(path.join(ws.dir, a.primaryOutput ?? '')).mtimeMs;
      return (a.finishedAt ?? 0) - mtime;
    });
    process.stderr.write(
      `engine: action end -> model update delays (ms): ${delays.map((d) => d.toFixed(0)).join(', ')}\n`,
    );
    // Speed is not asserted: only that the update came after the action ended, not before.
    for (const d of delays)
      assert.ok(d > -50, `model update ${d} ms before the output was written`);
  });
});
