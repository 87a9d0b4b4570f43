// Fault: the remote cache goes away in the middle of a build. The build is held at the example's
// gate while bazel-remote is stopped; after the release Bazel 4.2.3 cannot look up or upload the
// remaining actions, runs them locally and finishes. rbl's model shows exactly that (the gated
// actions located `local`, spawn counts equal to Bazel's line, the failed event upload reported),
// and nothing hangs: with
// --remote_retries=0 --remote_timeout=5s the whole test takes seconds, not minutes.
import { strict as assert } from 'node:assert';
import { rblCommand, summaryOf } from '../bazel/engine-rbl';
import {
  createWorkspace,
  describeRun,
  shutdownWorkspace,
  startHeldBuild,
  type Workspace,
} from '../helpers/bazel';
import { parseProcessesLine } from '../helpers/processes-line';
import { startBazelRemote, type RunningBazelRemote } from '../helpers/remote-servers';
import { rblBuildWrapper } from '../helpers/scenarios';

describe('Bazel when the remote cache stops mid-build', function () {
  this.timeout(5 * 60_000);
  let workspace: Workspace;
  let server: RunningBazelRemote;

  before(async () => {
    workspace = createWorkspace('remote-fault');
    server = await startBazelRemote();
  });

  after(async () => {
    await shutdownWorkspace(workspace);
    await server?.stop();
  });

  it('falls back to local execution, and the model says so for each action', async () => {
    const held = startHeldBuild(workspace, {
      wrapper: rblBuildWrapper(rblCommand()),
      args: [
        '--disk_cache=',
        `--remote_cache=${server.grpcUrl}`,
        '--remote_retries=0',
        '--remote_timeout=5s',
      ],
      targets: ['//gate:after_gate'],
    });
    await held.reached();
    await server.stop();
    held.release();
    const run = await held.result;
    assert.equal(run.exitCode, 0, describeRun(run));
    const processes = parseProcessesLine(run.stderr);
    assert.ok(processes, describeRun(run));
    assert.match(run.stderr, /WARNING: .*(remote|cache)/i, 'Bazel warned about the lost cache');
    const summary = summaryOf(run.stdout);
    // With a remote cache set, Bazel 4.2.3 also uploads the files BEP refers to into it; with the
    // cache gone that upload fails ("BES was not properly closed") and rbl reports it. Bazel's own
    // line still names every spawn runner, and rbl's derived counts must equal those; `internal`
    // comes from events that the failed upload may cut short, so any difference there must be
    // reported as a mismatch, never hidden.
    const context = `${processes.line}\nrbl: ${JSON.stringify(summary.processes)}`;
    assert.match(run.stderr, /Build Event Protocol local file upload failed/);
    assert.ok(summary.besError, `the event upload failure is reported\n${context}`);
    for (const [runner, count] of Object.entries(processes.byRunner)) {
      if (runner === 'internal') continue;
      assert.equal(summary.processes.byRunner[runner], count, `${runner}\n${context}`);
    }
    const internalAgrees = summary.processes.byRunner.internal === processes.byRunner.internal;
    assert.ok(
      internalAgrees || summary.processes.mismatch !== null,
      `internal differs silently\n${context}`,
    );
    const afterGate = summary.actions.find((a) =>
      a.outputs.some((o) => o.endsWith('gate/after_gate.txt')),
    );
    assert.ok(afterGate, JSON.stringify(summary.actions));
    assert.equal(afterGate.location, 'local', JSON.stringify(afterGate));
    assert.equal(afterGate.cacheHit, false);
    assert.equal(summary.cacheHitRate, 0);
    process.stderr.write(`      after the cache stopped: ${processes.line}\n`);
  });
});
