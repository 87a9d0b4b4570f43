// The message the panel posts, from the live model and from stored history (with and without the
// critical-path field, which older stored summaries lack).
import * as assert from 'node:assert/strict';
import { BuildModel } from '../../../../src/model';
import type { InvocationSummary } from '../../../../src/model/types';
import { HistoryModelView } from '../../../../src/presentation/history-view';
import {
  insightsMessage,
  NO_BUILDS_TEXT,
} from '../../../../src/presentation/insights/insights-model';
import { replay } from '../replay';

describe('insights: panel message', () => {
  it('says "no builds yet" when there is nothing live or stored', () => {
    const live = new BuildModel();
    const view = new HistoryModelView(live, () => []);
    assert.deepEqual(insightsMessage(view, null, 0), { type: 'empty', text: NO_BUILDS_TEXT });
    view.dispose();
    live.dispose();
  });

  it('shows the live build with bar, critical path and history; an unknown selection follows the newest', async () => {
    const { model, id } = await replay('10-mixed-strategies');
    const msg = insightsMessage(model, 'no-such-invocation', 0);
    assert.equal(msg.type, 'update');
    if (msg.type !== 'update') return;
    assert.equal(msg.followingLatest, true);
    assert.equal(msg.invocation.invocationId, id);
    assert.match(msg.invocation.title, /^build /);
    assert.match(msg.invocation.summary, /passed/);
    assert.ok(msg.invocation.bar.total > 0);
    assert.equal(msg.invocation.criticalPath?.totalMs, 540);
    assert.equal(msg.invocation.criticalPathNote, null);
    assert.equal(msg.history.points.length, 1);
    // Only data crosses to the webview: the message survives postMessage's structured clone.
    assert.deepEqual(JSON.parse(JSON.stringify(msg)), msg);
    model.dispose();
  });

  it('reads the critical path of a stored build, and says when an older summary has none', async () => {
    const { model, id } = await replay('01-clean-build');
    const stored = JSON.parse(JSON.stringify(model.summary(id))) as InvocationSummary;
    model.dispose();
    const old: InvocationSummary = { ...stored, invocationId: 'old' };
    delete old.criticalPath;
    const live = new BuildModel();
    const view = new HistoryModelView(live, () => [stored, old]);
    const withPath = insightsMessage(view, id, 0);
    assert.ok(withPath.type === 'update');
    assert.equal(withPath.followingLatest, false);
    assert.equal(withPath.invocation.criticalPath?.steps.length, 4);
    const without = insightsMessage(view, 'old', 0);
    assert.ok(without.type === 'update');
    assert.equal(without.invocation.criticalPath, null);
    assert.match(without.invocation.criticalPathNote ?? '', /did not report/);
    assert.equal(without.history.points.length, 2);
    view.dispose();
    live.dispose();
  });
});
