import * as assert from 'node:assert/strict';
import { BuildModel } from '../../../src/model';
import type { InvocationSummary } from '../../../src/model/types';
import { asInvocationSummary, HistoryModelView } from '../../../src/presentation/history-view';
import { invocationRow } from '../../../src/presentation/rows';
import { replay } from './replay';

/** A summary as the history store keeps it: JSON, written and read back. */
function stored(summary: InvocationSummary | undefined): InvocationSummary {
  assert.ok(summary);
  return JSON.parse(JSON.stringify(summary)) as InvocationSummary;
}

describe('presentation: history kept across reloads', () => {
  it('shows a stored invocation with the same row as when it was live', async () => {
    const { model, id } = await replay('03-disk-cache-after-clean');
    model.endInvocation(id, 0);
    const summary = stored(model.summary(id));
    const live = new BuildModel();
    const view = new HistoryModelView(live, () => [summary]);
    const before = model.invocation(id);
    const after = view.invocation(id);
    assert.ok(before && after);
    assert.equal(
      invocationRow(after, view.actions(id), 0).description,
      invocationRow(before, model.actions(id), 0).description.replace(
        / · \d+ actions/,
        ` · ${summary.actions.length} actions`,
      ),
    );
    assert.equal(view.actions(id).length, summary.actions.length);
    assert.deepEqual(
      view.actions(id).map((a) => a.location),
      summary.actions.map((a) => a.location),
    );
    assert.deepEqual(
      view
        .targets(id)
        .map((t) => t.label)
        .sort(),
      summary.targets.map((t) => t.label).sort(),
    );
    model.dispose();
    view.dispose();
    live.dispose();
  });

  it('reads the store only when first asked, lets the live model win and hides on clear', async () => {
    const { model, id } = await replay('01-clean-build');
    const summary = stored(model.summary(id));
    let loads = 0;
    const view = new HistoryModelView(model, () => {
      loads++;
      return [summary, { ...summary, invocationId: 'older', startedAt: 0 }];
    });
    assert.equal(loads, 0, 'nothing is read before the tree asks');
    assert.deepEqual(
      view.invocations().map((i) => i.id),
      [id, 'older'],
    );
    assert.equal(view.invocation(id), model.invocation(id), 'the live invocation wins');
    view.hideStored();
    assert.deepEqual(
      view.invocations().map((i) => i.id),
      [id],
    );
    assert.equal(loads, 1);
    model.dispose();
    view.dispose();
  });
});

describe('presentation: stored summaries read back from disk', () => {
  it('accepts a real summary and refuses damaged or foreign JSON', async () => {
    const { model, id } = await replay('02-noop-rebuild');
    const summary = stored(model.summary(id));
    assert.equal(asInvocationSummary(summary), summary);
    assert.equal(asInvocationSummary(null), null);
    assert.equal(asInvocationSummary({ invocationId: 'x', command: 'build' }), null);
    assert.equal(asInvocationSummary({ ...summary, actions: 'no' }), null);
    model.dispose();
  });
});
