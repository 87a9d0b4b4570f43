// Real Bazel 4.2.3 through `rbl build` against a real bazel-remote: the first build uploads, and
// after `bazel clean` every spawn of the second build is a remote cache hit, in Bazel's own
// processes line, in its execution log and in rbl's model (location remote-cache) alike. Over TLS, what Debian's Bazel really does.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createWorkspace,
  describeRun,
  outputBase,
  runBazel,
  shutdownWorkspace,
  type Workspace,
} from '../helpers/bazel';
import { startBazelRemote, type RunningBazelRemote } from '../helpers/remote-servers';
import { makeTestPki, type TestPki } from '../helpers/tls';
import { buildRemotely, clean, REMOTE_TARGETS, type RemoteBuild } from './remote-builds';

function assertAllRemoteHits(first: RemoteBuild, second: RemoteBuild): void {
  assert.equal(first.runners['remote cache hit'] ?? 0, 0, 'the first build found an empty cache');
  assert.ok(first.spawns.length > 0, 'the first build ran spawns');
  const hits = second.processes.byRunner['remote cache hit'] ?? 0;
  assert.equal(
    hits,
    first.spawns.length,
    `every spawn of the first build is a hit: ${second.processes.line}`,
  );
  assert.deepEqual(
    second.runners,
    { 'remote cache hit': hits },
    'the execution log agrees with Bazel',
  );
  assert.ok(second.spawns.every((s) => s.cacheHit));
  // rbl's model: derived counts equal Bazel's line, every spawn located in the remote cache.
  for (const build of [first, second]) {
    assert.deepEqual(build.summary.processes.byRunner, build.processes.byRunner);
    assert.equal(build.summary.processes.mismatch, null);
  }
  assert.equal(second.summary.actions.length, hits);
  for (const action of second.summary.actions) {
    assert.equal(action.runner, 'remote cache hit', JSON.stringify(action));
    assert.equal(action.location, 'remote-cache', JSON.stringify(action));
    assert.equal(action.cacheHit, true);
  }
  assert.equal(second.summary.cacheHitRate, 1);
}

describe('Bazel with a remote cache (bazel-remote)', function () {
  this.timeout(10 * 60_000);
  let workspace: Workspace;
  let pki: TestPki;
  const servers: RunningBazelRemote[] = [];

  before(() => {
    workspace = createWorkspace('remote-cache');
    pki = makeTestPki();
  });

  after(async () => {
    await shutdownWorkspace(workspace);
    await Promise.all(servers.map((s) => s.stop()));
    pki?.dispose();
  });

  it('uploads over plain gRPC, then serves every spawn after bazel clean', async () => {
    const server = await startBazelRemote();
    servers.push(server);
    const flags = [`--remote_cache=${server.grpcUrl}`];
    const first = await buildRemotely(workspace, flags);
    await clean(workspace);
    const second = await buildRemotely(workspace, flags);
    assertAllRemoteHits(first, second);
    process.stderr.write(`      plain: ${first.processes.line} -> ${second.processes.line}\n`);
  });

  // Debian's Bazel 4.2.3 (bazel-bootstrap) cannot open any TLS gRPC channel: its netty finds no
  // ALPN support in the JDK and Bazel exits 37 before building, with the reason only in java.log
  // (checked with and without a client certificate, and with --add-opens JVM flags). The TLS and
  // mTLS paths are therefore proven with `rbl remote test` against the same bazel-remote setup
  // (remote-test-bazel-remote.test.ts); this test pins Bazel's behaviour so a Bazel that can do
  // TLS shows up as a failure here, to be turned into the upload / clean / hits check above.
  it('Debian Bazel 4.2.3 refuses grpcs:// (no JDK ALPN in its netty): exit 37, reason in java.log', async () => {
    const server = await startBazelRemote({
      tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert },
      trustCa: pki.caCert,
      clientCert: { cert: pki.clientCert, key: pki.clientKey },
    });
    servers.push(server);
    const run = await runBazel(workspace, [
      'build',
      '--disk_cache=',
      `--remote_cache=${server.grpcUrl}`,
      `--tls_certificate=${pki.caCert}`,
      `--tls_client_certificate=${pki.clientCert}`,
      `--tls_client_key=${pki.clientKey}`,
      ...REMOTE_TARGETS,
    ]);
    assert.equal(run.exitCode, 37, describeRun(run));
    const javaLog = fs.readFileSync(path.join(outputBase(workspace), 'java.log'), 'utf8');
    assert.match(
      javaLog,
      /Failed to init TLS infrastructure: JDK provider does not support ALPN protocol/,
    );
  });
});
