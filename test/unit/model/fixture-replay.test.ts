// Replays the Bazel 4.2.3 recordings (BEP JSON + execution log JSON) through the model and checks
// the derived processes line, locations and rates against what that Bazel printed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBepFile } from '../../../src/bep';
import { readExecLogFile } from '../../../src/execlog';
import { BuildModel } from '../../../src/model';
import { parseProcessesLine } from '../../helpers/processes-line';
import { fixturesDir, scenarios } from './shared-fixtures';

async function replay(scenario: string): Promise<{ model: BuildModel; id: string }> {
  const dir = path.join(fixturesDir(), scenario);
  const bep = await readBepFile(path.join(dir, 'bep.json'));
  assert.equal(bep.error, null);
  const log = await readExecLogFile(path.join(dir, 'exec.log.json'));
  assert.equal(log.error, null);
  const model = new BuildModel();
  const id = 'replay';
  for (const event of bep.events) model.applyEvent(id, event, 0);
  model.applyExecLog(id, log.spawns);
  return { model, id };
}

describe('model: replay of the Bazel 4.2.3 fixtures', () => {
  for (const scenario of scenarios()) {
    it(`${scenario}: derived processes.byRunner equals Bazel's own line`, async () => {
      const { model, id } = await replay(scenario);
      const expected = parseProcessesLine(
        fs.readFileSync(path.join(fixturesDir(), scenario, 'processes.txt'), 'utf8'),
      );
      assert.ok(expected, 'processes.txt has a processes line');
      const summary = model.summary(id);
      assert.ok(summary);
      assert.deepEqual(summary.processes.byRunner, expected.byRunner);
      assert.deepEqual(summary.processes.bazel, { total: expected.total, ...expected.byRunner });
      assert.equal(summary.processes.mismatch, null);
      model.dispose();
    });
  }

  it('lists every spawn with its runner and a location from the table', async () => {
    const { model, id } = await replay('01-clean-build');
    const summary = model.summary(id);
    assert.ok(summary);
    assert.equal(summary.actions.length, 13);
    for (const action of summary.actions) {
      assert.equal(action.runner, 'linux-sandbox');
      assert.equal(action.location, 'local');
      assert.equal(action.cacheHit, false);
      assert.ok(action.outputs.length > 0 && action.primaryOutput !== null);
    }
    assert.ok(summary.actions.some((a) => a.label === '//gen:step1' && a.mnemonic === 'Genrule'));
    assert.equal(summary.cacheHitRate, 0);
    assert.equal(summary.remoteRate, 0);
    assert.equal(summary.exitCode, 0);
    assert.equal(summary.bazelVersion, null);
    model.dispose();
  });

  it('disk-cache hits of 4.2.3 (runner "remote cache hit", only --disk_cache) are disk-cache', async () => {
    const { model, id } = await replay('03-disk-cache-after-clean');
    const summary = model.summary(id);
    assert.ok(summary);
    assert.equal(summary.actions.length, 13);
    assert.ok(summary.actions.every((a) => a.location === 'disk-cache' && a.cacheHit === true));
    assert.equal(summary.cacheHitRate, 1);
    model.dispose();
  });

  it('a no-op build has no actions and null rates', async () => {
    const { model, id } = await replay('02-noop-rebuild');
    const summary = model.summary(id);
    assert.ok(summary);
    assert.deepEqual(summary.actions, []);
    assert.equal(summary.cacheHitRate, null);
    assert.equal(summary.remoteRate, null);
    model.dispose();
  });

  it('a failed genrule keeps its spawn exit code, output and failure; tests report status', async () => {
    const failing = await replay('07-failing-build');
    const broken = failing.model.actions(failing.id).find((a) => a.label === '//fail:broken');
    assert.ok(broken);
    assert.equal(broken.success, false);
    assert.equal(broken.exitCode, 3);
    assert.match(broken.stderr, /frobnicator not found/);
    const spawnEntry = failing.model
      .summary(failing.id)
      ?.actions.find((a) => a.label === '//fail:broken');
    assert.equal(spawnEntry?.exitCode, 3);
    assert.equal(spawnEntry?.success, false);
    assert.equal(failing.model.summary(failing.id)?.exitCode, 1);
    failing.model.dispose();

    const tests = await replay('08-tests-pass-and-fail');
    const summary = tests.model.summary(tests.id);
    assert.deepEqual(summary?.tests.map((t) => [t.label, t.status]).sort(), [
      ['//tests:fail_test', 'FAILED'],
      ['//tests:pass_test', 'PASSED'],
    ]);
    assert.equal(summary?.actions.filter((a) => a.mnemonic === 'TestRunner').length, 4);
    assert.deepEqual(
      summary?.actions
        .filter((a) => a.mnemonic === 'TestRunner')
        .map((a) => a.primaryOutput?.split('/').pop())
        .sort(),
      ['test.log', 'test.log', 'test.xml', 'test.xml'],
    );
    tests.model.dispose();
  });

  it('mixed strategies map local and processwrapper-sandbox to local', async () => {
    const { model, id } = await replay('10-mixed-strategies');
    const runners = new Set(model.summary(id)?.actions.map((a) => `${a.runner}->${a.location}`));
    assert.deepEqual([...runners].sort(), ['local->local', 'processwrapper-sandbox->local']);
    model.dispose();
  });

  it('before the log arrives, finished actions are "location pending"', async () => {
    const dir = path.join(fixturesDir(), '01-clean-build');
    const bep = await readBepFile(path.join(dir, 'bep.json'));
    const model = new BuildModel();
    for (const event of bep.events) model.applyEvent('x', event, 0);
    const actions = model.actions('x');
    assert.equal(actions.length, 27);
    assert.ok(actions.every((a) => a.location === null && a.runner === null && a.finishedAt === 0));
    assert.equal(model.invocation('x')?.execLog, 'pending');
    model.dispose();
  });
});

describe('model: live facts before the execution log', () => {
  it('tests are located from TestResult.executionInfo while spawns are pending', async () => {
    const bep = await readBepFile(path.join(fixturesDir(), '08-tests-pass-and-fail', 'bep.json'));
    const model = new BuildModel();
    for (const event of bep.events) model.applyEvent('t', event, 0);
    const tests = model.actions('t').filter((a) => a.mnemonic === 'TestRunner');
    assert.equal(tests.length, 2);
    assert.ok(tests.every((a) => a.runner === 'linux-sandbox' && a.location === 'local'));
    assert.ok(model.tests('t').every((t) => t.attempts[0]?.location === 'local'));
    model.dispose();
  });

  it("newer Bazel: Bazel's own processes line comes from BEP (console text or runner_count)", async () => {
    const file = path.join(fixturesDir(), '..', 'external', 'bb-portal', 'nextjs_build.bep.ndjson');
    const bep = await readBepFile(file);
    const model = new BuildModel();
    for (const event of bep.events) model.applyEvent('n', event, 0);
    const line = model.invocation('n')?.processes.bazel;
    assert.ok(line && line.total > 0, JSON.stringify(line));
    assert.equal(model.invocation('n')?.bazelVersion, '7.1.0');
    model.dispose();
  });
});
