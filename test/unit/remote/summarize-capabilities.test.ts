import { strict as assert } from 'node:assert';
import { build } from '../../../src/gen/protos';
import { formatSemVer, summarizeCapabilities } from '../../../src/remote/summarize-capabilities';

const { ServerCapabilities, DigestFunction, Compressor } = build.bazel.remote.execution.v2;

/** Round-trips through the wire format, as the client sees a server's answer. */
function fromWire(caps: build.bazel.remote.execution.v2.IServerCapabilities) {
  return ServerCapabilities.decode(ServerCapabilities.encode(caps).finish());
}

describe('summarizeCapabilities', () => {
  it('reports a cache-only server (bazel-remote shape)', () => {
    const s = summarizeCapabilities(
      fromWire({
        cacheCapabilities: {
          digestFunctions: [DigestFunction.Value.SHA256],
          actionCacheUpdateCapabilities: { updateEnabled: true },
          maxBatchTotalSizeBytes: 0,
          supportedCompressors: [Compressor.Value.ZSTD],
        },
        lowApiVersion: { major: 2 },
        highApiVersion: { major: 2, minor: 3 },
      }),
    );
    assert.deepEqual(s, {
      cache: true,
      execution: false,
      apiVersions: { low: '2.0', high: '2.3' },
      digestFunctions: ['SHA256'],
      actionCacheUpdate: true,
      maxBatchTotalSizeBytes: 0,
      maxCasBlobSizeBytes: 0,
      compressors: ['ZSTD'],
    });
  });

  it('reports execution and merges digest functions from both capability blocks', () => {
    const s = summarizeCapabilities(
      fromWire({
        cacheCapabilities: {
          digestFunctions: [DigestFunction.Value.SHA256],
          maxBatchTotalSizeBytes: 4193280,
        },
        executionCapabilities: {
          execEnabled: true,
          digestFunction: DigestFunction.Value.SHA256,
          digestFunctions: [DigestFunction.Value.BLAKE3],
        },
        lowApiVersion: { major: 2 },
        highApiVersion: { major: 2, minor: 2 },
      }),
    );
    assert.equal(s.execution, true);
    assert.deepEqual(s.digestFunctions, ['SHA256', 'BLAKE3']);
    assert.equal(s.maxBatchTotalSizeBytes, 4193280);
  });

  it('gives null, not a guess, for what the server did not say', () => {
    const s = summarizeCapabilities(fromWire({}));
    assert.equal(s.cache, false);
    assert.equal(s.execution, false);
    assert.deepEqual(s.apiVersions, { low: null, high: null });
    assert.equal(s.actionCacheUpdate, null);
    assert.equal(s.maxBatchTotalSizeBytes, null);
  });

  it('falls back to the deprecated single API version of old servers', () => {
    const s = summarizeCapabilities(fromWire({ deprecatedApiVersion: { major: 2 } }));
    assert.deepEqual(s.apiVersions, { low: '2.0', high: '2.0' });
  });
});

describe('formatSemVer', () => {
  it('prints major.minor, a patch only when set, and a prerelease', () => {
    assert.equal(formatSemVer({ major: 2, minor: 0 }), '2.0');
    assert.equal(formatSemVer({ major: 2, minor: 1, patch: 4 }), '2.1.4');
    assert.equal(formatSemVer({ major: 3, prerelease: 'alpha' }), '3.0-alpha');
    assert.equal(formatSemVer(null), null);
  });
});
