import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { groupActionsByTarget, NO_TARGET } from '../../../src/presentation/grouping';
import { liveRates } from '../../../src/presentation/mix';
import { nearestWorkspaceRoot } from '../../../src/presentation/workspace-root';
import { replay } from './replay';

describe('presentation: grouping, filters and workspace roots', () => {
  it('puts every action under the target with its label, the rest under "(no target)"', async () => {
    const { model, id } = await replay('01-clean-build');
    const targets = model.targets(id);
    const groups = groupActionsByTarget(targets, model.actions(id), 'all');
    let total = 0;
    for (const [key, actions] of groups) {
      total += actions.length;
      const target = targets.find((t) => t.id === key);
      for (const action of actions) {
        if (key === NO_TARGET) assert.ok(!targets.some((t) => t.label === action.label));
        else assert.equal(action.label, target?.label);
      }
    }
    assert.equal(total, model.actions(id).length);
    model.dispose();
  });

  it('"only misses" hides cache hits; "only failures" keeps the failed actions', async () => {
    const hits = await replay('03-disk-cache-after-clean');
    const misses = groupActionsByTarget(
      hits.model.targets(hits.id),
      hits.model.actions(hits.id),
      'misses',
    );
    assert.equal([...misses.values()].flat().length, 0);
    const failing = await replay('07-failing-build');
    const failures = [
      ...groupActionsByTarget(
        failing.model.targets(failing.id),
        failing.model.actions(failing.id),
        'failures',
      ).values(),
    ].flat();
    assert.deepEqual(
      failures.map((a) => a.id).sort(),
      failing.model
        .actions(failing.id)
        .filter((a) => !a.success)
        .map((a) => a.id)
        .sort(),
    );
    assert.ok(failures.length > 0);
    hits.model.dispose();
    failing.model.dispose();
  });

  it('live rates count only actions whose location is known', async () => {
    const replayed = await replay('03-disk-cache-after-clean', { joinLog: false });
    assert.deepEqual(liveRates(replayed.model.actions(replayed.id)), {
      cacheHitRate: null,
      remoteRate: null,
    });
    replayed.joinLog();
    assert.deepEqual(liveRates(replayed.model.actions(replayed.id)), {
      cacheHitRate: 1,
      remoteRate: 0,
    });
    replayed.model.dispose();
  });

  it('resolves a nested workspace to the nearest root, never above the editor folder', () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-roots-'));
    const nested = path.join(top, 'third_party', 'lib');
    fs.mkdirSync(path.join(nested, 'src'), { recursive: true });
    fs.writeFileSync(path.join(top, 'WORKSPACE'), '');
    fs.writeFileSync(path.join(nested, 'MODULE.bazel'), '');
    assert.equal(nearestWorkspaceRoot(path.join(nested, 'src'), top), nested);
    assert.equal(nearestWorkspaceRoot(path.join(top, 'third_party'), top), top);
    assert.equal(nearestWorkspaceRoot(path.join(nested, 'src'), path.join(nested, 'src')), null);
    fs.rmSync(top, { recursive: true });
  });
});
