import { strict as assert } from 'node:assert';
import { parseEndpoint, redactUserInfo } from '../../../src/remote';
import { InputError } from '../../../src/util/errors';

describe('parseEndpoint', () => {
  it('reads grpc:// as plain and grpcs:// as TLS, with default ports', () => {
    assert.deepEqual(parseEndpoint('grpc://127.0.0.1:9092'), {
      target: '127.0.0.1:9092',
      tls: false,
      display: 'grpc://127.0.0.1:9092',
    });
    assert.equal(parseEndpoint('grpcs://cache.example.com').target, 'cache.example.com:443');
    assert.equal(parseEndpoint('grpc://cache.example.com').target, 'cache.example.com:80');
    assert.equal(parseEndpoint('grpcs://cache.example.com:8980').tls, true);
  });

  it('treats a bare host:port as grpcs, as Bazel does', () => {
    const e = parseEndpoint('remote.example.com:443');
    assert.equal(e.tls, true);
    assert.equal(e.target, 'remote.example.com:443');
  });

  it('accepts unix sockets in both spellings', () => {
    assert.equal(parseEndpoint('unix:///run/cache.sock').target, 'unix:/run/cache.sock');
    assert.equal(parseEndpoint('unix:/run/cache.sock').target, 'unix:/run/cache.sock');
    assert.throws(() => parseEndpoint('unix:relative.sock'), InputError);
  });

  it('keeps user-info out of the display and sends it as basic auth', () => {
    const e = parseEndpoint('grpcs://alice:s3cr%40t@cache.example.com:443');
    assert.equal(e.display, 'grpcs://***@cache.example.com:443');
    assert.equal(e.basicAuth, 'alice:s3cr@t');
  });

  it('refuses what is not a REAPI gRPC endpoint, naming --endpoint and no secret', () => {
    for (const bad of [
      '',
      'http://cache:8080',
      'https://cache',
      'ftp://x',
      'grpc://',
      'grpc://h:1/path',
    ]) {
      assert.throws(
        () => parseEndpoint(bad),
        (err: unknown) => err instanceof InputError && err.source === '--endpoint',
        bad,
      );
    }
    assert.throws(
      () => parseEndpoint('ftp://bob:hunter2@x'),
      (err: unknown) => err instanceof InputError && !err.describe().includes('hunter2'),
    );
  });

  it('redacts user-info anywhere in a message', () => {
    assert.equal(redactUserInfo('dial grpc://u:p@h:1 failed'), 'dial grpc://***@h:1 failed');
  });
});
