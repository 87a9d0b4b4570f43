// The human listing of `rbl log` (no --json): on stdout, built from what the file holds.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { runRbl } from '../../helpers/cli';
import { fixturesDir, rblLogJson } from './shared-fixtures';

describe('rbl log listing', () => {
  it('lists every spawn with mnemonic, progress message, runner, cache hit, exit code and outputs', async () => {
    const file = fixturesDir('bazel-4.2.3', '07-failing-build', 'exec.log.json');
    const run = await runRbl(['log', file]);
    const { json } = await rblLogJson(file);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    for (const spawn of json.spawns) {
      assert.ok(run.stdout.includes(`${spawn.mnemonic} ${spawn.progressMessage}`), spawn.mnemonic);
      assert.ok(
        run.stdout.includes(
          `runner ${spawn.runner}, ${spawn.cacheHit ? 'cache hit' : 'no cache hit'}, exit ${spawn.exitCode}`,
        ),
      );
      for (const output of spawn.outputs) assert.ok(run.stdout.includes(`-> ${output}`));
    }
    assert.match(run.stdout, /NON_ZERO_EXIT/);
  });

  it('lists a BEP file: events by kind, targets, tests, failures, the exit code', async () => {
    const tests = await runRbl([
      'log',
      fixturesDir('bazel-4.2.3', '08-tests-pass-and-fail', 'bep.bin'),
    ]);
    assert.equal(tests.code, 0);
    const bepJson = fs.readFileSync(
      fixturesDir('bazel-4.2.3', '08-tests-pass-and-fail', 'bep.json'),
      'utf8',
    );
    for (const line of bepJson.split('\n').filter(Boolean)) {
      const event = JSON.parse(line) as {
        id: { testSummary?: { label: string } };
        testSummary?: { overallStatus: string };
      };
      if (event.id.testSummary && event.testSummary) {
        assert.ok(
          tests.stdout.includes(`${event.testSummary.overallStatus} ${event.id.testSummary.label}`),
        );
      }
    }
    assert.match(tests.stdout, /^Build finished: TESTS_FAILED \(exit 3\)$/m);

    const failing = await runRbl([
      'log',
      fixturesDir('bazel-4.2.3', '07-failing-build', 'bep.json'),
    ]);
    assert.match(failing.stdout, /^ {2}FAILED \/\/fail:needs_broken$/m);
    assert.match(failing.stdout, /^Failures:$/m);
    assert.match(failing.stdout, /^ {2}action \/\/fail:broken/m);
    assert.match(failing.stdout, /^ {2}actionCompleted \d+$/m);
  });

  it('still lists what precedes damage, then exits 2', async () => {
    const run = await runRbl([
      'log',
      fixturesDir('external', 'analytics-cli', 'bep_partially_valid.ndjson'),
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /bep-json, 106 events/);
    assert.equal(run.stderr.split('\n').filter(Boolean).length, 1);
  });
});
