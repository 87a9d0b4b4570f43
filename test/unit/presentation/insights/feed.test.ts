// The panel's feed over the real build model: live updates coalesced to at most ~4 a second
// under a fast event stream, nothing posted before the page is ready, page messages checked.
import * as assert from 'node:assert/strict';
import { readBepFile } from '../../../../src/bep';
import { BuildModel } from '../../../../src/model';
import {
  INSIGHTS_UPDATE_INTERVAL_MS,
  InsightsFeed,
} from '../../../../src/presentation/insights/feed';
import type { HostMessage } from '../../../../src/presentation/insights/messages';
import { fixturesDir } from '../../model/shared-fixtures';
import * as path from 'node:path';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('insights: live feed', function () {
  this.timeout(20_000);

  it('redraws a running build at most ~4 times a second under a fast event stream', async () => {
    const bep = await readBepFile(path.join(fixturesDir(), '01-clean-build', 'bep.json'));
    assert.equal(bep.error, null);
    const events = bep.events.filter((e) => !e.lastMessage && !e.finished);
    // The model itself coalesces to 10/s; make it pass every change on so the feed is tested.
    const model = new BuildModel({ changeIntervalMs: 1 });
    const posted: HostMessage[] = [];
    const feed = new InsightsFeed(model, (m) => posted.push(m));
    feed.show(null);
    assert.equal(feed.receive({ type: 'ready' }), true);
    const started = Date.now();
    let applied = 0;
    // About 1.5 s of events, one every millisecond or so: the recording's events replayed as
    // a stream of invocations that keep running.
    while (Date.now() - started < 1500) {
      const event = events[applied % events.length];
      model.applyEvent(`inv-${Math.floor(applied / events.length)}`, event, Date.now());
      applied++;
      if (applied % 5 === 0) await sleep(1);
    }
    await sleep(INSIGHTS_UPDATE_INTERVAL_MS + 50);
    const elapsed = Date.now() - started;
    const bound = Math.ceil(elapsed / INSIGHTS_UPDATE_INTERVAL_MS) + 1;
    assert.ok(applied > 500, `${applied} events`);
    assert.ok(feed.postCount >= 4, `live: ${feed.postCount} updates`);
    assert.ok(feed.postCount <= bound, `${feed.postCount} updates in ${elapsed} ms (max ${bound})`);
    const last = posted[posted.length - 1];
    assert.ok(last?.type === 'update' && last.invocation.running, JSON.stringify(last?.type));
    console.log(
      `      insights feed: ${applied} events in ${elapsed} ms -> ${feed.postCount} updates (${((feed.postCount * 1000) / elapsed).toFixed(1)}/s)`,
    );
    feed.dispose();
    model.dispose();
  });

  it('posts nothing before the page is ready, and ignores messages outside the protocol', async () => {
    const model = new BuildModel({ changeIntervalMs: 1 });
    const posted: HostMessage[] = [];
    const feed = new InsightsFeed(model, (m) => posted.push(m));
    feed.show(null);
    await sleep(20);
    assert.equal(posted.length, 0, 'the page has not said ready');
    assert.equal(feed.receive({ type: 'eval', code: 'alert(1)' }), false);
    assert.equal(feed.receive({ type: 'ready', html: '<img>' }), false);
    await sleep(20);
    assert.equal(posted.length, 0);
    assert.equal(feed.receive({ type: 'ready' }), true);
    await sleep(INSIGHTS_UPDATE_INTERVAL_MS + 20);
    assert.equal(posted.length, 1);
    assert.equal(posted[0]?.type, 'empty');
    // A selected build that does not exist falls back to following the newest.
    model.startInvocation('a');
    assert.equal(feed.receive({ type: 'selectInvocation', invocationId: 'gone' }), true);
    await sleep(INSIGHTS_UPDATE_INTERVAL_MS + 50);
    const last = posted[posted.length - 1];
    assert.ok(last?.type === 'update');
    assert.equal(last.followingLatest, true);
    assert.equal(last.invocation.invocationId, 'a');
    feed.closed();
    const count = posted.length;
    model.startInvocation('b');
    await sleep(INSIGHTS_UPDATE_INTERVAL_MS + 50);
    assert.equal(posted.length, count, 'a closed panel gets no updates');
    feed.dispose();
    model.dispose();
  });
});
