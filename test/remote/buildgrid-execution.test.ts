// Real Bazel 4.2.3 through `rbl build` against a real REAPI executor: BuildGrid, with our workers running the
// actions. Spawns run with runner `remote`, Bazel's processes line and execution log agree, the
// workers really ran them, rbl's model locates them `remote`, and the remotely built program works.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { createWorkspace, shutdownWorkspace, type Workspace } from '../helpers/bazel';
import { startBuildGrid, type RunningBuildGrid } from '../helpers/remote-servers';
import { runRblJson } from '../helpers/cli';
import { buildRemotely } from './remote-builds';

describe('Bazel with remote execution (BuildGrid and our workers)', function () {
  this.timeout(10 * 60_000);
  let grid: RunningBuildGrid;
  let workspace: Workspace;

  before(async () => {
    grid = await startBuildGrid({ instanceName: 'main' });
  });

  after(async () => {
    if (workspace) await shutdownWorkspace(workspace);
    await grid?.stop();
  });

  it('rbl remote test reports execution for the instance', async () => {
    const { code, json } = await runRblJson([
      'remote',
      'test',
      '--endpoint',
      grid.grpcUrl,
      '--instance',
      'main',
      '--require-execution',
    ]);
    assert.equal(code, 0, JSON.stringify(json));
    assert.equal(json.execution, true);
    assert.equal(json.cache, true);
    assert.equal((json.apiVersions as { low: string }).low, '2.0');
  });

  it('rbl remote test passes the instance name through (an unknown one is refused)', async () => {
    const { code, json } = await runRblJson([
      'remote',
      'test',
      '--endpoint',
      grid.grpcUrl,
      '--instance',
      'nope',
    ]);
    assert.equal(code, 1);
    const error = json.error as { code: string; message: string; hint: string };
    assert.ok(['invalid-argument', 'not-found'].includes(error.code), error.code);
    assert.match(error.message, /nope/);
    assert.match(error.hint, /--instance/);
  });

  it("runs a clean build remotely: runner remote, counts equal to Bazel's line", async () => {
    workspace = createWorkspace('remote-exec');
    const before = grid.executed();
    const build = await buildRemotely(workspace, [
      `--remote_executor=${grid.grpcUrl}`,
      `--remote_instance_name=${grid.instanceName}`,
    ]);
    const remote = build.processes.byRunner.remote ?? 0;
    assert.ok(remote > 0, `Bazel ran spawns remotely: ${build.processes.line}`);
    assert.equal(build.runners.remote, remote, 'the execution log agrees with Bazel');
    assert.equal(grid.executed() - before, remote, 'our workers ran exactly those spawns');
    assert.deepEqual(build.summary.processes.byRunner, build.processes.byRunner);
    assert.equal(build.summary.processes.mismatch, null);
    const remoteActions = build.summary.actions.filter((a) => a.location === 'remote');
    assert.equal(remoteActions.length, remote, JSON.stringify(build.summary.actions.slice(0, 3)));
    assert.ok(remoteActions.every((a) => a.runner === 'remote' && a.success));
    assert.equal(build.summary.remoteRate, remote / build.summary.actions.length);
    const hello = path.join(workspace.dir, 'bazel-bin', 'cc', 'hello');
    assert.ok(
      execFileSync(hello, { encoding: 'utf8' }).length > 0,
      'the remotely linked program runs',
    );
    process.stderr.write(`      remote execution: ${build.processes.line}\n`);
  });
});
