// `rbl remote test` against a real bazel-remote (cache only): plain, TLS, mTLS and the failures
// a user meets (wrong port, wrong CA, missing client certificate, execution asked of a cache).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePort, startBazelRemote, type RunningBazelRemote } from '../helpers/remote-servers';
import { makeTestPki, type TestPki } from '../helpers/tls';
import { runRbl, runRblJson } from '../helpers/cli';

/** What `rbl remote test --json` reports when the check fails. */
interface RemoteTestError {
  code: string;
  message: string;
  hint: string;
}

const errorOf = (json: Record<string, unknown>) => json.error as RemoteTestError;

/** `rbl remote test --endpoint URL FLAGS --json`: its exit code and JSON object. */
const remoteTest = (endpoint: string, ...flags: string[]) =>
  runRblJson(['remote', 'test', '--endpoint', endpoint, ...flags]);

/** A check that fails (exit 1) with an error code and a hint that fit the mistake. */
interface FailureRow {
  title: string;
  /** Endpoint and flags; called in the test, once the servers run. */
  call: () => [string, ...string[]];
  code: string;
  message?: RegExp;
  hint: RegExp;
}

describe('rbl remote test against bazel-remote', function () {
  this.timeout(120_000);
  let pki: TestPki;
  let plain: RunningBazelRemote;
  let tls: RunningBazelRemote;
  let mtls: RunningBazelRemote;
  let basic: RunningBazelRemote;

  before(async () => {
    pki = makeTestPki();
    const serverTls = { cert: pki.serverCert, key: pki.serverKey };
    const client = { cert: pki.clientCert, key: pki.clientKey };
    // bazel-remote's basic auth: an htpasswd file with an Apache MD5 hash made by openssl.
    const hash = execFileSync('openssl', ['passwd', '-apr1', 'open-sesame'], { encoding: 'utf8' });
    const htpasswd = path.join(pki.dir, 'htpasswd');
    fs.writeFileSync(htpasswd, `alice:${hash.trim()}\n`);
    [plain, tls, mtls, basic] = await Promise.all([
      startBazelRemote(),
      startBazelRemote({ tls: serverTls, trustCa: pki.caCert }),
      startBazelRemote({
        tls: { ...serverTls, clientCa: pki.caCert },
        trustCa: pki.caCert,
        clientCert: client,
      }),
      startBazelRemote({ extraArgs: ['--htpasswd_file', htpasswd] }),
    ]);
  });

  after(async () => {
    await Promise.all([plain?.stop(), tls?.stop(), mtls?.stop(), basic?.stop()]);
    pki?.dispose();
  });

  it('reports a plain server as a cache with REAPI 2.0..2.3 and SHA256', async () => {
    const { code, json } = await remoteTest(plain.grpcUrl);
    assert.equal(code, 0, JSON.stringify(json));
    assert.equal(json.ok, true);
    assert.equal(json.cache, true);
    assert.equal(json.execution, false);
    assert.deepEqual(json.apiVersions, { low: '2.0', high: '2.3' });
    assert.deepEqual(json.digestFunctions, ['SHA256']);
    assert.equal(json.actionCacheUpdate, true);
  });

  it('reports a cache-only server as such when execution is required (exit 1)', async () => {
    const { code, json } = await remoteTest(plain.grpcUrl, '--require-execution');
    assert.equal(code, 1);
    assert.equal(json.ok, false);
    assert.equal(json.cache, true);
    assert.equal(json.execution, false);
    const error = errorOf(json);
    assert.equal(error.code, 'unimplemented');
    assert.match(error.message, /cache-only/);
    assert.match(error.hint, /--remote_cache/);
  });

  it('says unavailable for a port nobody listens on', async () => {
    const port = await freePort();
    const { code, json } = await remoteTest(`grpc://127.0.0.1:${port}`);
    assert.equal(code, 1);
    const error = errorOf(json);
    assert.equal(error.code, 'unavailable');
    assert.match(error.message, /ECONNREFUSED/);
    assert.ok(error.hint.length > 0);
  });

  it('succeeds over TLS with the CA that signed the server certificate', async () => {
    const { code, json } = await remoteTest(tls.grpcUrl, '--tls-ca', pki.caCert);
    assert.equal(code, 0, JSON.stringify(json));
    assert.equal(json.cache, true);
  });

  const failures: FailureRow[] = [
    {
      title: 'gives a tls error with a hint for a CA that did not sign the server certificate',
      call: () => [tls.grpcUrl, '--tls-ca', pki.otherCaCert],
      code: 'tls',
      hint: /--tls-ca/,
    },
    {
      title: 'gives a tls error when grpcs:// meets a plain server',
      call: () => [plain.grpcUrl.replace('grpc://', 'grpcs://'), '--tls-ca', pki.caCert],
      code: 'tls',
      hint: /grpc:\/\//,
    },
    {
      title: 'says tls, with grpcs:// as the hint, when grpc:// meets a TLS server',
      call: () => [tls.grpcUrl.replace('grpcs://', 'grpc://')],
      code: 'tls',
      hint: /grpcs:\/\//,
    },
    {
      title: "says a port is not gRPC when it is bazel-remote's HTTP port",
      call: () => [`grpc://127.0.0.1:${plain.httpPort}`],
      code: 'unavailable',
      message: /did not answer as a gRPC server/,
      hint: /HTTP port/,
    },
    {
      title: 'says unauthenticated for an mTLS server called without a client certificate',
      call: () => [mtls.grpcUrl, '--tls-ca', pki.caCert],
      code: 'unauthenticated',
      hint: /--tls-cert/,
    },
  ];
  for (const row of failures) {
    it(row.title, async () => {
      const { code, json } = await remoteTest(...row.call());
      assert.equal(code, 1);
      const error = errorOf(json);
      assert.equal(error.code, row.code);
      if (row.message) assert.match(error.message, row.message);
      assert.match(error.hint, row.hint);
    });
  }

  it('says timeout when the port accepts but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket.on('error', () => undefined));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const { code, json } = await remoteTest(`grpc://127.0.0.1:${port}`, '--timeout-ms', '500');
      assert.equal(code, 1);
      const error = errorOf(json);
      assert.equal(error.code, 'timeout');
      assert.match(error.message, /500 ms/);
      assert.match(error.hint, /--timeout-ms/);
    } finally {
      // The client gave up but keeps its half-open connection; close ours so nothing lingers.
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('succeeds over mTLS with a client certificate', async () => {
    const { code, json } = await remoteTest(
      mtls.grpcUrl,
      '--tls-ca',
      pki.caCert,
      '--tls-cert',
      pki.clientCert,
      '--tls-key',
      pki.clientKey,
    );
    assert.equal(code, 0, JSON.stringify(json));
    assert.equal(json.cache, true);
  });

  it('sends user:password from the URL, or an authorization header, as basic auth', async () => {
    const withUser = basic.grpcUrl.replace('grpc://', 'grpc://alice:open-sesame@');
    assert.equal((await remoteTest(withUser)).code, 0);
    const header = `authorization=Basic ${Buffer.from('alice:open-sesame').toString('base64')}`;
    const viaHeader = await remoteTest(basic.grpcUrl, '--header', header);
    assert.equal(viaHeader.code, 0, JSON.stringify(viaHeader.json));
  });

  it('says unauthenticated, with a hint that fits, for missing or wrong credentials', async () => {
    const none = await remoteTest(basic.grpcUrl);
    assert.equal(none.code, 1);
    const noneError = errorOf(none.json);
    assert.equal(noneError.code, 'unauthenticated');
    assert.match(noneError.hint, /user:password in the URL/);
    const wrongUrl = basic.grpcUrl.replace('grpc://', 'grpc://alice:nope@');
    const wrong = await remoteTest(wrongUrl);
    assert.equal(wrong.code, 1);
    const wrongError = errorOf(wrong.json);
    assert.equal(wrongError.code, 'unauthenticated');
    assert.match(wrongError.hint, /did not accept the credentials/);
    assert.ok(!JSON.stringify(wrong.json).includes('nope'), 'the wrong password is not printed');
  });

  it('never prints header values or URL passwords', async () => {
    const secret = 'rbl-secret-value-42';
    const url = plain.grpcUrl.replace('grpc://', `grpc://user:${secret}@`);
    const run = await runRbl([
      'remote',
      'test',
      '--endpoint',
      url,
      '--header',
      `x-api-key=${secret}`,
      '--instance',
      'main',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), 'secret leaked');
    const json = JSON.parse(run.stdout) as { endpoint: string; instance: string };
    assert.equal(json.endpoint, `grpc://***@127.0.0.1:${plain.grpcPort}`);
    assert.equal(json.instance, 'main');
  });

  it('exits 2 naming the argument or file for bad input, without a stack trace', async () => {
    const badUrl = await runRbl(['remote', 'test', '--endpoint', 'grpc://', '--json']);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /^rbl: --endpoint: /);
    const missing = path.join(pki.dir, 'no-such-ca.pem');
    const badCa = await runRbl(['remote', 'test', '--endpoint', tls.grpcUrl, '--tls-ca', missing]);
    assert.equal(badCa.code, 2);
    assert.ok(
      badCa.stderr.includes(`rbl: ${missing}: cannot read TLS CA certificate (ENOENT)`),
      badCa.stderr,
    );
    const noKey = await runRbl([
      'remote',
      'test',
      '--endpoint',
      tls.grpcUrl,
      '--tls-cert',
      pki.clientCert,
    ]);
    assert.equal(noKey.code, 2);
    for (const run of [badUrl, badCa, noKey]) {
      assert.equal(run.stdout, '');
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    }
  });
});
