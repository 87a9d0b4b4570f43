// `rbl build --json` on every standard scenario of the harness, on the real Bazel: the derived
// processes.byRunner equals the line Bazel printed in that very run, and actions list every
// spawn of the run's execution log with its runner and the CONTRACT's location.
import * as assert from 'node:assert/strict';
import { readBepFile } from '../../src/bep';
import { readExecLogFile } from '../../src/execlog';
import { requireBazel } from '../helpers/bazel';
import {
  rblBuildWrapper,
  SCENARIO_NAMES,
  standardScenarios,
  type ScenarioSet,
} from '../helpers/scenarios';
import { expectedLocation, rblCommand, summaryOf } from './engine-rbl';

describe('engine: rbl build --json on the standard scenarios (real Bazel)', function () {
  this.timeout(30 * 60_000);
  let set: ScenarioSet;

  before(async () => {
    requireBazel();
    set = await standardScenarios(rblBuildWrapper(rblCommand()));
  });

  for (const name of SCENARIO_NAMES) {
    it(`${name}: exit code, processes.byRunner = Bazel's line, every spawn with runner and location`, async () => {
      const s = set.byName[name];
      const summary = summaryOf(s.stdout);
      assert.equal(
        s.exitCode,
        s.expectedExitCode,
        `rbl exits with the build's own code\n${s.stderr.slice(-2000)}`,
      );
      assert.equal(summary.exitCode, s.expectedExitCode);
      assert.equal(summary.besError, null);
      assert.ok(s.processes, 'Bazel printed its processes line');
      assert.deepEqual(summary.processes.byRunner, s.processes.byRunner);
      assert.deepEqual(summary.processes.bazel, {
        total: s.processes.total,
        ...s.processes.byRunner,
      });
      assert.equal(summary.processes.mismatch, null);

      // rbl read the execution log the scenario's own flags wrote (it adds none of its own then).
      const log = await readExecLogFile(s.files.execLogJson);
      assert.equal(log.error, null);
      const key = (runner: string | null, outputs: readonly string[]): string =>
        `${runner} ${[...outputs].sort().join(',')}`;
      assert.deepEqual(
        summary.actions.map((a) => key(a.runner, a.outputs)).sort(),
        log.spawns.map((sp) => key(sp.runner, sp.listedOutputs)).sort(),
      );
      for (const action of summary.actions) {
        assert.equal(
          action.location,
          expectedLocation(action.runner ?? ''),
          JSON.stringify(action),
        );
        assert.ok(action.mnemonic !== '' && action.primaryOutput !== null, JSON.stringify(action));
      }
      // 4.2.3's log has no spawn times: rbl takes them from the profile it asked Bazel for,
      // joined by progress message, so every spawn with a message of its own has a duration.
      const messages = new Map<string, number>();
      for (const sp of log.spawns) {
        if (sp.progressMessage)
          messages.set(sp.progressMessage, (messages.get(sp.progressMessage) ?? 0) + 1);
      }
      const timed = new Set(
        log.spawns
          .filter((sp) => sp.progressMessage && messages.get(sp.progressMessage) === 1)
          .map((sp) => key(sp.runner, sp.listedOutputs)),
      );
      for (const action of summary.actions) {
        if (!timed.has(key(action.runner, action.outputs))) continue;
        assert.ok(
          typeof action.durationMs === 'number' && action.durationMs >= 0,
          `no duration from the profile: ${JSON.stringify(action)}`,
        );
      }
      if (log.spawns.length === 0) {
        assert.equal(summary.cacheHitRate, null);
        assert.equal(summary.remoteRate, null);
      }

      // One "rbl: " line per finished action (every ActionExecuted Bazel published).
      const bep = await readBepFile(s.files.bepJson);
      const executed = bep.events.filter((e) => e.action !== undefined).length;
      const lines = s.stderr.split('\n').filter((l) => /^rbl: (done|FAILED)/.test(l)).length;
      assert.equal(lines, executed);
    });
  }

  it('disk-cache: every spawn is a disk-cache hit on 4.2.3 (runner "remote cache hit")', () => {
    const summary = summaryOf(set.byName['disk-cache'].stdout);
    assert.ok(summary.actions.length > 0);
    assert.ok(
      summary.actions.every(
        (a) =>
          a.location === 'disk-cache' && a.cacheHit === true && a.runner === 'remote cache hit',
      ),
    );
    assert.equal(summary.cacheHitRate, 1);
  });

  it('noop: no actions and null rates', () => {
    const summary = summaryOf(set.byName.noop.stdout);
    assert.deepEqual(summary.actions, []);
    assert.equal(summary.cacheHitRate, null);
    assert.equal(summary.remoteRate, null);
  });
});
