// The CONTRACT's location table for every Bazel/cache combination, and coalesced change events.
import * as assert from 'node:assert/strict';
import { locate } from '../../../src/model/location';
import { BuildModel } from '../../../src/model/build-model';
import type { ModelChange } from '../../../src/model/types';

const none = { diskCache: false, remoteCache: false, remoteExecution: false };
const disk = { ...none, diskCache: true };
const remote = { ...none, remoteCache: true };
const both = { ...none, diskCache: true, remoteCache: true };

describe('model: locations (CONTRACT table)', () => {
  it('maps runners to locations', () => {
    const ctx = { bazelMajor: 8, cache: none };
    assert.equal(locate('remote', ctx).location, 'remote');
    assert.equal(locate('disk cache hit', ctx).location, 'disk-cache');
    for (const r of [
      'linux-sandbox',
      'processwrapper-sandbox',
      'darwin-sandbox',
      'sandboxed',
      'local',
      'standalone',
    ]) {
      assert.equal(locate(r, ctx).location, 'local', r);
    }
    assert.equal(locate('worker', ctx).location, 'worker');
    assert.equal(locate('multiplex-worker', ctx).location, 'worker');
    const odd = locate('dynamic-something', ctx);
    assert.equal(odd.location, 'unknown');
    assert.match(odd.reason ?? '', /dynamic-something/);
  });

  it("'remote cache hit' depends on the version and the caches in effect", () => {
    assert.equal(
      locate('remote cache hit', { bazelMajor: 7, cache: both }).location,
      'remote-cache',
    );
    assert.equal(
      locate('remote cache hit', { bazelMajor: null, cache: disk }).location,
      'disk-cache',
    );
    assert.equal(
      locate('remote cache hit', { bazelMajor: 6, cache: remote }).location,
      'remote-cache',
    );
    const unknown = locate('remote cache hit', { bazelMajor: 4, cache: both });
    assert.equal(unknown.location, 'unknown');
    assert.match(unknown.reason ?? '', /both --disk_cache and a remote cache/);
  });
});

describe('model: change events', () => {
  it('coalesces a burst of events into one change with the ids, added before updated', async () => {
    const model = new BuildModel({ changeIntervalMs: 50 });
    const changes: ModelChange[] = [];
    model.onDidChange((c) => changes.push(c));
    model.applyEvent('i', { id: { started: {} }, started: { command: 'build', uuid: 'i' } });
    for (let n = 0; n < 200; n++) {
      model.applyEvent('i', {
        id: { actionCompleted: { primaryOutput: `out/${n}`, label: `//p:${n}` } },
        action: { success: true, type: 'Genrule' },
      });
    }
    model.applyEvent('i', {
      id: { targetConfigured: { label: '//p:0' } },
      configured: { targetKind: 'genrule rule' },
    });
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(changes.length, 1);
    const [c] = changes;
    assert.deepEqual(c?.invocationsAdded, ['i']);
    assert.deepEqual(c?.invocationsUpdated, []);
    assert.equal(c?.actionsAdded.length, 200);
    assert.deepEqual(c?.targetsAdded, [{ invocationId: 'i', id: '//p:0' }]);
    model.dispose();
  });
});

describe('model: how an invocation ends', () => {
  const started = (model: BuildModel, id: string): void => {
    model.applyEvent(id, { id: { started: {} }, started: { command: 'build', uuid: id } });
    model.applyEvent(id, {
      id: { targetConfigured: { label: '//p:t' } },
      configured: { targetKind: 'genrule rule' },
    });
  };

  it('a stream lost mid-build is interrupted with the reason, its open targets aborted', () => {
    const model = new BuildModel();
    started(model, 'lost');
    model.streamLost('lost', 'the client went away mid-stream');
    model.endInvocation('lost', null);
    const inv = model.invocation('lost');
    assert.equal(inv?.state, 'interrupted');
    assert.equal(inv?.besError?.message, 'the client went away mid-stream');
    assert.equal(inv?.exitCode, null);
    assert.equal(model.summary('lost')?.targets[0]?.success ?? null, null);
    model.dispose();
  });

  it('a build that ends without BuildFinished and without a lost stream is aborted', () => {
    const model = new BuildModel();
    started(model, 'died');
    model.endInvocation('died', 37);
    assert.equal(model.invocation('died')?.state, 'aborted');
    assert.equal(model.invocation('died')?.exitCode, 37);
    model.dispose();
  });

  it('a stream lost after the build finished does not rewrite its state', () => {
    const model = new BuildModel();
    started(model, 'done');
    model.applyEvent('done', {
      id: { buildFinished: {} },
      finished: { exitCode: { name: 'SUCCESS', code: 0 }, finishTimeMillis: 1 },
    });
    model.endInvocation('done', 0);
    model.streamLost('done', 'late');
    assert.equal(model.invocation('done')?.state, 'finished');
    assert.equal(model.invocation('done')?.besError, null);
    model.dispose();
  });
});
