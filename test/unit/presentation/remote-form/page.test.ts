import { strict as assert } from 'node:assert';
import {
  formCsp,
  formHtml,
  secretState,
  secretStateText,
  testView,
} from '../../../../src/presentation/remote-form';
import { FIELD_NAMES } from '../../../../src/presentation/remote-form/fields';
import { formatLimit } from '../../../../src/presentation/remote-form/test-view';

describe('remote form: the page, the secret state and the test result', () => {
  const html = formHtml({
    cspSource: 'https://ext.example',
    nonce: 'n0nce',
    scriptUri: 'https://ext.example/media/remote-form.js',
    styleUri: 'https://ext.example/media/remote-form.css',
  });

  it('has a strict CSP: nothing by default, scripts by nonce, styles from the extension', () => {
    const csp = formCsp('https://ext.example', 'n0nce');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-n0nce'(;|$)/);
    assert.match(csp, /style-src https:\/\/ext\.example(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.ok(html.includes(`content="${csp.replace(/'/g, '&#39;')}"`));
    // Every script tag carries the nonce; there is no inline script or style.
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /nonce="n0nce" src=/);
    assert.doesNotMatch(html, /<style|style="/);
  });

  it('labels every field and holds no value (values come by message)', () => {
    for (const name of FIELD_NAMES) {
      assert.ok(html.includes(`<label for="f-${name}">`), name);
      assert.ok(html.includes(`id="f-${name}"`), name);
    }
    assert.doesNotMatch(html, /<(input|textarea)[^>]*\svalue=/);
    assert.match(html, /id="f-headerValue"[^>]*type="password"/);
    assert.match(html, /<button type="submit" id="test">/);
  });

  it('names the secret’s state from both copies without a value', () => {
    assert.equal(secretState(undefined, undefined), 'not-set');
    assert.equal(secretState('a', 'a'), 'set');
    assert.equal(secretState('a', 'b'), 'differs');
    assert.equal(secretState('a', undefined), 'file-only');
    assert.equal(secretState(undefined, 'b'), 'editor-only');
    assert.match(secretStateText('differs', 'x-api-key'), /x-api-key .*differs/);
  });

  it('shows what a server supports, and a failure with its hint', () => {
    const ok = testView('Cache', {
      ok: true,
      endpoint: 'grpc://127.0.0.1:9092',
      instance: '',
      cache: true,
      execution: false,
      apiVersions: { low: '2.0', high: '2.3' },
      digestFunctions: ['SHA256'],
      actionCacheUpdate: true,
      maxBatchTotalSizeBytes: 4 * 1024 * 1024,
      maxCasBlobSizeBytes: 0,
      compressors: [],
    });
    assert.equal(ok.title, 'Cache: connected to grpc://127.0.0.1:9092');
    assert.deepEqual(ok.lines.slice(0, 4), [
      'Remote cache: yes',
      'Remote execution: no',
      'REAPI versions: 2.0 to 2.3',
      'Digest functions: SHA256',
    ]);
    assert.match(ok.lines.join('\n'), /Batch limit: 4 MiB; largest blob: no limit/);
    // bazel-remote announces 2^63 bytes as its largest blob.
    assert.equal(formatLimit(2 ** 63), '8 EiB');
    assert.equal(formatLimit(1536), '1.5 KiB');
    assert.equal(formatLimit(100), '100 bytes');
    const fail = testView('Executor', {
      ok: false,
      endpoint: 'grpcs://h:443',
      instance: 'main',
      error: {
        code: 'tls',
        message: 'TLS certificate not trusted',
        hint: 'Pass the CA with --tls-ca (and --tls-cert/--tls-key for mTLS)',
      },
    });
    assert.equal(fail.ok, false);
    assert.equal(fail.title, 'Executor: TLS certificate not trusted');
    assert.equal(
      fail.hint,
      'Pass the CA with the TLS CA certificate field (and the TLS client certificate field/the TLS client key field for mTLS)',
    );
    assert.match(fail.lines[0], /tls at grpcs:\/\/h:443 \(instance 'main'\)/);
  });
});
