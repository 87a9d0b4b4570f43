// The per-invocation location bar over real replays: counts, shares and the tree's colours.
import * as assert from 'node:assert/strict';
import { locationKeyOf, locationStyle } from '../../../../src/presentation/location-style';
import { cssColorVar, locationBar } from '../../../../src/presentation/insights/location-bar';
import { replay } from '../replay';

describe('insights: location bar', () => {
  it('10-mixed-strategies: one segment per location the tree shows, counts and shares agree', async () => {
    const { model, id } = await replay('10-mixed-strategies');
    const actions = model.actions(id);
    const bar = locationBar(actions);
    const expected = new Map<string, number>();
    for (const a of actions) {
      const key = locationKeyOf(a);
      if (key !== 'internal') expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const internal = actions.filter((a) => locationKeyOf(a) === 'internal').length;
    assert.ok(internal > 0, 'the recording has actions Bazel ran in-process');
    assert.equal(bar.internal, internal);
    assert.equal(bar.total, actions.length - internal);
    // The same denominator as the mix: Bazel's own processes line minus its internal count.
    const processes = model.invocation(id)?.processes.bazel;
    assert.ok(processes);
    assert.equal(bar.total, processes.total - (processes.internal ?? 0));
    assert.deepEqual(
      new Map(bar.segments.map((s) => [s.key, s.count])),
      expected,
      'every location with actions, none without',
    );
    assert.ok(bar.segments.some((s) => s.key === 'local'));
    const shareSum = bar.segments.reduce((n, s) => n + s.share, 0);
    assert.ok(Math.abs(shareSum - 1) < 1e-9);
    for (const s of bar.segments) {
      assert.equal(s.title, locationStyle(s.key).title);
      assert.equal(s.colorVar, cssColorVar(locationStyle(s.key).color));
    }
    model.dispose();
  });

  it('03-disk-cache-after-clean shows disk cache hits; 07-failing-build shows the failure', async () => {
    const disk = await replay('03-disk-cache-after-clean');
    const diskBar = locationBar(disk.model.actions(disk.id));
    const hit = diskBar.segments.find((s) => s.key === 'disk-cache');
    assert.ok(hit && hit.count > 0, JSON.stringify(diskBar));
    assert.equal(hit.colorVar, '--vscode-charts-purple');
    disk.model.dispose();
    const failing = await replay('07-failing-build');
    const failed = locationBar(failing.model.actions(failing.id)).segments.find(
      (s) => s.key === 'failed',
    );
    assert.equal(failed?.count, 1);
    assert.equal(failed?.colorVar, '--vscode-errorForeground');
    failing.model.dispose();
  });

  it('before the execution log is joined, finished actions are "location pending"', async () => {
    const { model, id } = await replay('01-clean-build', { joinLog: false });
    const bar = locationBar(model.actions(id));
    assert.deepEqual(
      bar.segments.map((s) => [s.key, s.count, s.percentText]),
      [['pending', bar.total, '100%']],
    );
    assert.equal(bar.segments[0]?.colorVar, '--vscode-descriptionForeground');
    model.dispose();
  });

  it('an invocation without actions has an empty bar', () => {
    assert.deepEqual(locationBar([]), { total: 0, internal: 0, segments: [] });
  });
});
