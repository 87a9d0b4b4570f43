import * as assert from 'node:assert/strict';
import { formatPercent } from '../../../src/presentation/format';
import { locationStyle } from '../../../src/presentation/location-style';
import { actionRow, invocationRow, invocationResult } from '../../../src/presentation/rows';
import { replay } from './replay';

/** A tooltip's lines with Markdown's backslash escapes removed (markdown.test.ts renders them). */
function plain(tooltip: readonly string[]): string {
  return tooltip.join('\n').replace(/\\(.)/g, '$1');
}

describe('presentation: tree rows of replayed Bazel 4.2.3 builds', () => {
  it('clean build: the invocation row shows command, result and the mix with CONTRACT denominators', async () => {
    const { model, id, spawns } = await replay('01-clean-build');
    const invocation = model.invocation(id);
    assert.ok(invocation);
    const row = invocationRow(invocation, model.actions(id), 0);
    assert.ok(row.label.startsWith('build '), row.label);
    const cached = spawns.filter((s) => /cache hit/.test(s.runner ?? '')).length;
    assert.match(
      row.description,
      new RegExp(
        `^passed · .* · ${spawns.length} actions · ${formatPercent(cached / spawns.length)} cached · 0% remote$`,
      ),
    );
    assert.equal(row.contextValue, 'rbl.invocation.passed');
    model.dispose();
  });

  it('disk cache after clean: every action row shows the disk-cache icon and colour', async () => {
    const { model, id } = await replay('03-disk-cache-after-clean');
    const spawning = model.actions(id).filter((a) => a.location !== 'internal');
    assert.ok(spawning.length > 0);
    for (const action of spawning) {
      const row = actionRow(action);
      assert.deepEqual(row.icon, locationStyle('disk-cache'));
      assert.match(plain(row.tooltip), /Runner: remote cache hit/);
      assert.match(row.description, new RegExp(`^${action.mnemonic}`));
    }
    const invocation = model.invocation(id);
    assert.ok(invocation);
    assert.match(invocationRow(invocation, model.actions(id), 0).description, /100% cached/);
    model.dispose();
  });

  it('no-op rebuild says "up to date"', async () => {
    const { model, id } = await replay('02-noop-rebuild');
    const invocation = model.invocation(id);
    assert.ok(invocation);
    assert.match(invocationRow(invocation, model.actions(id), 0).description, /up to date$/);
    model.dispose();
  });

  it('says "location pending" until the execution log arrives, then fills in', async () => {
    const replayed = await replay('01-clean-build', { joinLog: false });
    const { model, id } = replayed;
    const genrule = model.actions(id).find((a) => a.mnemonic === 'Genrule');
    assert.ok(genrule, 'a Genrule action arrived through BEP');
    const before = actionRow(genrule);
    assert.match(before.description, /location pending/);
    assert.equal(before.icon.icon, 'loading~spin');
    const invocation = model.invocation(id);
    assert.ok(invocation);
    assert.match(
      invocationRow(invocation, model.actions(id), 0).description,
      /\d+ actions · locations pending$/,
    );
    assert.match(plain(before.tooltip), /Runner: not known yet/);
    replayed.joinLog();
    const after = actionRow(model.action(id, genrule.id) ?? genrule);
    assert.doesNotMatch(after.description, /location pending/);
    assert.deepEqual(after.icon, locationStyle('local'));
    assert.match(plain(after.tooltip), /Runner: linux-sandbox/);
    model.dispose();
  });

  it('failing build: failed invocation, failed action rows with their own icon and exit code', async () => {
    const { model, id } = await replay('07-failing-build');
    const invocation = model.invocation(id);
    assert.ok(invocation);
    assert.equal(invocationResult(invocation), 'failed');
    const failed = model.actions(id).filter((a) => !a.success);
    assert.ok(failed.length > 0, 'the recording has a failed action');
    for (const action of failed) {
      const row = actionRow(action);
      assert.deepEqual(row.icon, locationStyle('failed'));
      assert.ok(row.contextValue.startsWith('rbl.action.failed'));
      assert.match(plain(row.tooltip), new RegExp(`Exit code: ${action.exitCode} \\(failed\\)`));
    }
    model.dispose();
  });
});
