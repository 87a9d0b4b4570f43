// Terminal builds in the panel (issue 5 item 10), with the real Bazel: after "Show Terminal
// Builds" wrote its two rc lines, a build run in a terminal (the harness's runBazel, nothing of
// the editor in it) appears in the model and the history store. With nothing watching (editor
// closed) builds pass the same, also after `bazel clean --expunge` removed the output base the
// files live in; "Stop" restores the rc file byte for byte.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPlan } from '../../src/config/edit-plan';
import { BuildModel } from '../../src/model';
import {
  planTerminalBuildsOff,
  planTerminalBuildsOn,
  terminalBuildsEnabled,
  terminalFiles,
} from '../../src/presentation/terminal-builds';
import { TerminalBuildWatcher } from '../../src/presentation/terminal-watch';
import { HistoryStore } from '../../src/store';
import {
  createWorkspace,
  describeRun,
  requireBazel,
  runBazel,
  type Workspace,
} from '../helpers/bazel';
import { pollUntil } from '../helpers/poll-until';

describe('terminal builds show up in the panel (real Bazel)', function () {
  this.timeout(10 * 60_000);
  let ws: Workspace;
  let watcher: TerminalBuildWatcher | undefined;
  const model = new BuildModel();

  before(() => {
    requireBazel();
    ws = createWorkspace('terminal');
  });

  after(() => {
    watcher?.stop();
    model.dispose();
  });

  it('records a build run in a terminal, and never makes a terminal build fail', async () => {
    const info = await runBazel(ws, ['info', 'output_base']);
    assert.equal(info.exitCode, 0, describeRun(info));
    const files = terminalFiles(info.stdout.trim());
    const options = { workspace: ws.dir, systemRc: null, homeRc: null };
    const rc = path.join(ws.dir, 'user.bazelrc');
    const bazelrc = fs.readFileSync(path.join(ws.dir, '.bazelrc'), 'utf8');
    assert.equal(fs.existsSync(rc), false);
    applyPlan(planTerminalBuildsOn(options, files));
    assert.deepEqual(terminalBuildsEnabled(options), files);
    assert.equal(fs.readFileSync(path.join(ws.dir, '.bazelrc'), 'utf8'), bazelrc);

    const store = HistoryStore.forWorkspace(ws.dir);
    const recorded: string[] = [];
    watcher = new TerminalBuildWatcher({
      files,
      model,
      store,
      intervalMs: 200,
      onRecorded: (id) => recorded.push(id),
      onProblem: (m) => assert.fail(m),
    });
    watcher.start();

    const build = await runBazel(ws, ['build', '//gen:all']);
    assert.equal(build.exitCode, 0, describeRun(build));
    const id = await pollUntil(() => recorded[0] ?? null, {
      timeoutMs: 60_000,
      what: 'the terminal build to be recorded',
    });
    const stored = store.summary(id);
    assert.ok(stored, 'in the history store');
    assert.equal(stored.exitCode, 0);
    assert.equal(stored.command, 'build');
    const invocation = model.invocation(id);
    assert.equal(invocation?.state, 'finished');
    assert.deepEqual(invocation?.patterns, ['//gen:all']);
    const actions = model.actions(id).filter((a) => a.location !== 'internal');
    assert.ok(actions.length > 0, 'the build ran actions');
    // The execution log was joined: every spawning action knows where it ran.
    assert.ok(
      actions.every((a) => a.location !== null),
      actions.map((a) => `${a.mnemonic}:${a.location}`).join(', '),
    );

    // The editor closed (nothing reads the file) and Bazel's output base wiped: still passes,
    // because Bazel recreates the folder the files live in before it writes them.
    watcher.stop();
    const expunge = await runBazel(ws, ['clean', '--expunge']);
    assert.equal(expunge.exitCode, 0, describeRun(expunge));
    const closed = await runBazel(ws, ['build', '//gen:step1']);
    assert.equal(closed.exitCode, 0, describeRun(closed));
    assert.ok(fs.statSync(files.bep).size > 0, 'Bazel wrote the file with nobody reading it');

    // Back on: the build made while the editor was closed is picked up from the file.
    watcher.start();
    const second = await pollUntil(() => recorded[1] ?? null, {
      timeoutMs: 60_000,
      what: 'the build made while the editor was closed to be recorded',
    });
    assert.notEqual(second, id);
    assert.deepEqual(model.invocation(second)?.patterns, ['//gen:step1']);
    watcher.stop();

    applyPlan(planTerminalBuildsOff(options));
    assert.equal(fs.existsSync(rc), false, 'the user.bazelrc we created is gone again');
    assert.equal(terminalBuildsEnabled(options), null);
  });
});
