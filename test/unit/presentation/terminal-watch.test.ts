// The terminal-build watcher over recorded Bazel 4.2.3 files (bep.bin, exec.log.json): a build
// appears while its file grows, is recorded once its log is written, a rewritten file is a new
// build, builds the editor started are left to the runner, and a damaged file is a problem, not
// a crash.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BuildModel } from '../../../src/model';
import { terminalFiles, type TerminalFiles } from '../../../src/presentation/terminal-builds';
import { TerminalBuildWatcher } from '../../../src/presentation/terminal-watch';
import { HistoryStore } from '../../../src/store';
import { fixturesDir } from '../model/shared-fixtures';

function fixture(scenario: string, file: string): string {
  return path.join(fixturesDir(), scenario, file);
}

describe('presentation: terminal build watcher', () => {
  let dir: string;
  let files: TerminalFiles;
  let model: BuildModel;
  let store: HistoryStore;
  let recorded: string[];
  let problems: string[];
  let watcher: TerminalBuildWatcher;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-terminal-watch-'));
    files = terminalFiles(dir);
    model = new BuildModel();
    store = HistoryStore.forWorkspace(path.join(dir, 'ws'));
    recorded = [];
    problems = [];
    watcher = new TerminalBuildWatcher({
      files,
      model,
      store,
      execLogWaitMs: 60_000,
      onRecorded: (id) => recorded.push(id),
      onProblem: (m) => problems.push(m),
    });
  });

  afterEach(() => {
    watcher.stop();
    model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the execution log as Bazel does at the end of the build that started at `startedAt`. */
  function writeExecLog(scenario: string, startedAt: number): void {
    fs.copyFileSync(fixture(scenario, 'exec.log.json'), files.execLog);
    const at = new Date(startedAt + 5000);
    fs.utimesSync(files.execLog, at, at);
  }

  it('shows a build while its file grows and records it once the execution log is complete', async () => {
    const bep = fs.readFileSync(fixture('01-clean-build', 'bep.bin'));
    fs.writeFileSync(files.bep, bep.subarray(0, Math.floor(bep.length / 2)));
    await watcher.poll();
    const [invocation] = model.invocations();
    assert.ok(invocation, 'the build shows while it runs');
    assert.equal(invocation.state, 'running');
    fs.writeFileSync(files.bep, bep);
    await watcher.poll();
    assert.deepEqual(recorded, [], 'not before the execution log is written');
    writeExecLog('01-clean-build', invocation.startedAt ?? 0);
    await watcher.poll(); // sees the log
    await watcher.poll(); // sees it did not grow: complete
    assert.deepEqual(recorded, [invocation.id]);
    assert.equal(model.invocation(invocation.id)?.state, 'finished');
    const spawning = model.actions(invocation.id).filter((a) => a.location !== 'internal');
    assert.ok(spawning.length > 0 && spawning.every((a) => a.location !== null));
    assert.equal(store.summary(invocation.id)?.invocationId, invocation.id);
    await watcher.poll();
    assert.equal(recorded.length, 1, 'recorded once');
    assert.deepEqual(problems, []);
  });

  it('takes a rewritten file for the next build, and leaves builds the editor started alone', async () => {
    fs.copyFileSync(fixture('01-clean-build', 'bep.bin'), files.bep);
    await watcher.poll();
    const first = model.invocations()[0];
    writeExecLog('01-clean-build', first.startedAt ?? 0);
    await watcher.poll();
    await watcher.poll();
    assert.deepEqual(recorded, [first.id]);

    // Bazel rewrites the file for the next command (a failing build, run in a terminal).
    fs.copyFileSync(fixture('07-failing-build', 'bep.bin'), files.bep);
    await watcher.poll();
    const second = model.invocations().find((i) => i.id !== first.id);
    assert.ok(second, 'the next build shows');
    writeExecLog('07-failing-build', second.startedAt ?? 0);
    await watcher.poll();
    await watcher.poll();
    assert.deepEqual(recorded, [first.id, second.id]);
    assert.equal(store.summary(second.id)?.exitCode, 1);

    // A build the editor started is already in the model: its runner records it, not us.
    const editorModel = new BuildModel();
    const editorWatcher = new TerminalBuildWatcher({
      files,
      model: editorModel,
      store: HistoryStore.forWorkspace(path.join(dir, 'other')),
      onRecorded: (id) => assert.fail(`recorded ${id}`),
    });
    editorModel.startInvocation(second.id);
    await editorWatcher.poll();
    assert.equal(editorModel.actions(second.id).length, 0, 'no events applied twice');
    editorModel.dispose();
  });

  it('reports a damaged file as a problem and carries on with the next one', async () => {
    const bep = fs.readFileSync(fixture('01-clean-build', 'bep.bin'));
    const damaged = Buffer.from(bep);
    damaged.fill(0xff, 40, 400);
    fs.writeFileSync(files.bep, damaged);
    await watcher.poll();
    assert.equal(problems.length, 1, problems.join('\n'));
    fs.copyFileSync(fixture('02-noop-rebuild', 'bep.bin'), files.bep);
    await watcher.poll();
    assert.ok(
      model.invocations().some((i) => i.patterns.length > 0),
      'the next build is read again',
    );
  });
});
