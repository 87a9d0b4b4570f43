// Slowest actions: Bazel 4.2.3 times no action in BEP or its execution log, so the real
// recordings give none; times as newer Bazel gives them are set on the real actions.
import * as assert from 'node:assert/strict';
import type { Action } from '../../../../src/model/types';
import { slowestActions } from '../../../../src/presentation/insights/slowest';
import { replay } from '../replay';

describe('insights: slowest actions', () => {
  it('says how many actions were timed (none in a 4.2.3 build)', async () => {
    const { model, id } = await replay('01-clean-build');
    const result = slowestActions(model.actions(id));
    assert.equal(result.timed, 0);
    assert.deepEqual(result.actions, []);
    model.dispose();
  });

  it('lists the ten slowest timed actions, slowest first, with label, mnemonic and location', async () => {
    const { model, id } = await replay('10-mixed-strategies');
    const real = model.actions(id);
    assert.ok(real.length > 12, `${real.length} actions`);
    const timed: Action[] = real.map((a, i) => ({ ...a, durationMs: i === 3 ? null : i * 7 }));
    const result = slowestActions(timed);
    assert.equal(result.timed, real.length - 1);
    assert.equal(result.actions.length, 10);
    const durations = result.actions.map((a) => a.durationMs);
    assert.deepEqual(
      durations,
      [...durations].sort((x, y) => y - x),
    );
    const slowest = timed[timed.length - 1];
    assert.equal(result.actions[0]?.durationMs, slowest.durationMs);
    assert.equal(result.actions[0]?.mnemonic, slowest.mnemonic);
    assert.ok(result.actions.every((a) => a.locationTitle !== '' && a.durationText.endsWith('ms')));
    model.dispose();
  });

  it('keeps model order on ties and honours the limit', async () => {
    const { model, id } = await replay('01-clean-build');
    const same: Action[] = model.actions(id).map((a) => ({ ...a, durationMs: 1500 }));
    const result = slowestActions(same, 3);
    assert.deepEqual(
      result.actions.map((a) => a.mnemonic),
      same.slice(0, 3).map((a) => a.mnemonic),
    );
    assert.equal(result.actions[0]?.durationText, '1.5 s');
    model.dispose();
  });
});
