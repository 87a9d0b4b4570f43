// The history chart's geometry over invocations replayed from the real recordings.
import * as assert from 'node:assert/strict';
import type { Invocation } from '../../../../src/model/types';
import {
  HEALTHY_HIT_RATE,
  historyChart,
} from '../../../../src/presentation/insights/history-chart';
import { replay } from '../replay';

/** Real invocations, re-timed so their order is known (the recordings ran minutes apart). */
async function realInvocations(): Promise<Invocation[]> {
  const out: Invocation[] = [];
  const scenarios = [
    '01-clean-build',
    '02-noop-rebuild',
    '03-disk-cache-after-clean',
    '07-failing-build',
  ];
  for (const [i, scenario] of scenarios.entries()) {
    const { model, id } = await replay(scenario);
    const inv = model.invocation(id);
    assert.ok(inv);
    out.push({
      ...inv,
      startedAt: 1_000_000 + i * 60_000,
      finishedAt: 1_000_000 + i * 60_000 + (i + 1) * 1000,
    });
    model.dispose();
  }
  return out.reverse(); // newest first, as the model lists them
}

describe('insights: history chart', () => {
  it('puts the newest build right, scales hit rate and wall time, and marks 80 %', async () => {
    const invocations = await realInvocations();
    const chart = historyChart(invocations);
    assert.deepEqual(
      chart.points.map((p) => p.invocationId),
      [...invocations].reverse().map((i) => i.id),
    );
    const xs = chart.points.map((p) => p.x);
    assert.deepEqual(
      xs,
      [...xs].sort((a, b) => a - b),
    );
    const { top, bottom } = chart.plot;
    assert.equal(
      chart.healthy.y,
      Math.round((bottom - HEALTHY_HIT_RATE * (bottom - top)) * 10) / 10,
    );
    assert.match(chart.healthy.label, /80%.*healthy/);
    // Wall time: the newest (4 s) fills the plot height, the oldest (1 s) a quarter of it.
    const newest = chart.points[chart.points.length - 1];
    const oldest = chart.points[0];
    assert.equal(newest?.wallText, '4.0 s');
    assert.ok(Math.abs((newest?.bar.height ?? 0) - (bottom - top)) < 0.2);
    assert.ok(Math.abs((oldest?.bar.height ?? 0) - (bottom - top) / 4) < 0.2);
    // The disk-cache rebuild is the only recording with cache hits.
    const disk = chart.points.find((p) => p.invocationId.includes('03-disk-cache'));
    assert.ok(disk && disk.hitRate !== null && disk.hitRate > 0, JSON.stringify(disk));
    assert.ok(disk.hitY !== null && disk.hitY < bottom);
    assert.match(chart.description, /4 builds, oldest left, newest right/);
  });

  it('breaks the hit-rate line where a build has no rate and leaves running builds out', async () => {
    const invocations = await realInvocations();
    const noRate = { ...invocations[1], cacheHitRate: null } as Invocation;
    const running = {
      ...invocations[0],
      id: 'running',
      state: 'running',
      startedAt: 9e9,
    } as Invocation;
    const chart = historyChart([running, invocations[0], noRate, invocations[2], invocations[3]]);
    assert.ok(!chart.points.some((p) => p.invocationId === 'running'));
    const rated = chart.points.filter((p) => p.hitY !== null).length;
    assert.equal(
      chart.hitLines.reduce((n, l) => n + l.length, 0),
      rated,
    );
    assert.equal(chart.hitLines.length, 2, JSON.stringify(chart.hitLines));
    assert.equal(chart.points.find((p) => p.invocationId === noRate.id)?.hitText, '—');
  });

  it('keeps at most the newest 50 builds, and says so when there are none', async () => {
    const [one] = await realInvocations();
    const many = Array.from({ length: 60 }, (_, i) => ({ ...one, id: `b${i}`, startedAt: i }));
    const chart = historyChart(many);
    assert.equal(chart.points.length, 50);
    assert.equal(chart.points[0]?.invocationId, 'b10');
    assert.equal(chart.points[49]?.invocationId, 'b59');
    const empty = historyChart([]);
    assert.deepEqual(empty.points, []);
    assert.equal(empty.description, 'No finished builds yet.');
  });
});
