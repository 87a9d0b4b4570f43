import { strict as assert } from 'node:assert';
import { SpawnJsonDecoder, spawnFromJson } from '../../../src/execlog';
import { InputError } from '../../../src/util/errors';

describe('JSON SpawnExec reader', () => {
  it('reads the cache hit from remoteCacheHit (Bazel 4.x) and cacheHit (newer)', () => {
    assert.equal(spawnFromJson({ remoteCacheHit: true }, 0, 'f', 0).cacheHit, true);
    assert.equal(spawnFromJson({ cacheHit: true }, 0, 'f', 0).cacheHit, true);
    assert.equal(
      spawnFromJson({ cacheHit: false, remoteCacheHit: true }, 0, 'f', 0).cacheHit,
      false,
    );
    assert.equal(spawnFromJson({}, 0, 'f', 0).cacheHit, false);
  });

  it('reads int64 strings, digests, labels and metrics of newer logs', () => {
    const s = spawnFromJson(
      {
        targetLabel: '//p:t',
        timeoutMillis: '60000',
        digest: { hash: 'ab', sizeBytes: '142', hashFunctionName: 'SHA-256' },
        metrics: { totalTime: '0.250s', executionWallTime: '0.2s' },
        inputs: [
          { path: 'a', digest: { hash: 'cd', sizeBytes: '3' }, isTool: true },
          { path: 'l', symlinkTargetPath: 't' },
        ],
      },
      4,
      'f',
      0,
    );
    assert.equal(s.index, 4);
    assert.equal(s.label, '//p:t');
    assert.equal(s.progressMessage, null);
    assert.equal(s.timeoutMillis, 60000);
    assert.deepEqual(s.digest, { hash: 'ab', sizeBytes: 142 });
    assert.equal(s.wallTimeMs, 250);
    assert.deepEqual(s.inputs, [
      { path: 'a', digest: { hash: 'cd', sizeBytes: 3 }, isTool: true, symlinkTarget: null },
      { path: 'l', digest: null, isTool: false, symlinkTarget: 't' },
    ]);
  });

  it('names the field and the offset of a value of the wrong type', () => {
    assert.throws(
      () => spawnFromJson({ commandArgs: 'x' }, 0, 'f', 77),
      (e: unknown) =>
        e instanceof InputError &&
        e.offset === 77 &&
        /"commandArgs" should be an array/.test(e.message),
    );
    assert.throws(
      () => spawnFromJson({ inputs: [{ path: 3 }] }, 0, 'f', 5),
      (e: unknown) =>
        e instanceof InputError && /inputs\[0\]: "path" should be a string/.test(e.message),
    );
  });

  it('reads NDJSON as well as concatenated pretty-printed objects', () => {
    const decoder = new SpawnJsonDecoder('f');
    const spawns = decoder.push(
      Buffer.from('{"mnemonic":"A","runner":"local"}\n{"mnemonic":"B","cacheHit":true}\n'),
    );
    decoder.finish();
    assert.deepEqual(
      spawns.map((s) => [s.index, s.mnemonic, s.cacheHit]),
      [
        [0, 'A', false],
        [1, 'B', true],
      ],
    );
  });
});
