// The BES sink against a real grpc-js client on 127.0.0.1, replaying recorded Bazel 4.2.3 BEP.
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BesSink, type SinkEvent, type SinkProblem } from '../../../src/bes/sink';
import { GrpcServer, type CallMetadata } from '../../../src/bes/grpc/server';
import { Status } from '../../../src/bes/grpc/status';
import { clientCodec, LIFECYCLE_PATH, STREAM_PATH } from '../../../src/bes/service';
import { eventKind } from '../../../src/bep/types';
import { decodeBepEvent } from '../../../src/bep/decode';
import { fixturesDir } from '../model/shared-fixtures';
import { BesTestClient, bepRecords, fullStream, streamRequest, type StreamIds } from './bes-client';

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

function ids(n: number): StreamIds {
  return {
    buildId: `rbl-00000000-0000-0000-0000-00000000000${n}`,
    invocationId: `11111111-2222-3333-4444-55555555555${n}`,
  };
}

describe('BES sink', () => {
  let sink: BesSink;
  let client: BesTestClient;
  let events: SinkEvent[];
  let problems: SinkProblem[];
  let finished: string[];
  const records = (scenario: string): Uint8Array[] =>
    bepRecords(path.join(fixturesDir(), scenario, 'bep.bin'));

  beforeEach(async () => {
    sink = new BesSink();
    events = [];
    problems = [];
    finished = [];
    sink.onEvent.event((e) => events.push(e));
    sink.onProblem.event((p) => problems.push(p));
    sink.onStreamFinished.event((id) => finished.push(id));
    const url = await sink.listen('127.0.0.1:0');
    assert.match(url, /^grpc:\/\/127\.0\.0\.1:\d+$/);
    client = new BesTestClient(url);
  });

  afterEach(async () => {
    client.close();
    await sink.close();
  });

  it('acks every event in order, then finishes OK after the half-close', async () => {
    const bep = records('01-clean-build');
    const outcome = await client.stream(fullStream(ids(1), bep));
    assert.equal(outcome.status.code, grpc.status.OK);
    assert.deepEqual(outcome.acks, range(1, bep.length + 1));
    assert.equal(events.length, bep.length);
    assert.deepEqual(
      events.map((e) => eventKind(e.event)),
      bep.map((r) => eventKind(decodeBepEvent(r))),
    );
    assert.deepEqual(finished, [ids(1).invocationId]);
    assert.deepEqual(problems, []);
  });

  it('answers lifecycle calls at once', async () => {
    assert.equal(await client.lifecycle(ids(1), 'enqueued'), null);
    assert.equal(await client.lifecycle(ids(1), 'finished'), null);
  });

  it('de-duplicates events Bazel re-sends on a new stream after a broken one', async () => {
    const bep = records('04-source-changed');
    const all = fullStream(ids(2), bep);
    const first = await client.stream(all.slice(0, 10), { cancelAfterAcks: 6 });
    assert.equal(first.status.code, grpc.status.CANCELLED);
    // Bazel re-sends from the first unacked sequence number, byte-identical.
    const retried = await client.stream(all.slice(6));
    assert.equal(retried.status.code, grpc.status.OK);
    assert.deepEqual(retried.acks, range(7, all.length));
    assert.deepEqual(
      events.map((e) => e.sequence),
      range(1, bep.length),
    );
    // Even a stream re-sending what was already delivered gets every ack, and no duplicates.
    const again = await client.stream(all.slice(2));
    assert.deepEqual(again.acks, range(3, all.length));
    assert.equal(events.length, bep.length);
    // ... and the end of the stream is announced once.
    assert.deepEqual(finished, [ids(2).invocationId]);
  });

  it('keeps two invocations streaming at once apart', async () => {
    const a = records('01-clean-build');
    const b = records('08-tests-pass-and-fail');
    const [ra, rb] = await Promise.all([
      client.stream(fullStream(ids(3), a)),
      client.stream(fullStream(ids(4), b)),
    ]);
    assert.equal(ra.status.code, grpc.status.OK);
    assert.equal(rb.status.code, grpc.status.OK);
    const of = (id: string): SinkEvent[] => events.filter((e) => e.invocationId === id);
    assert.deepEqual(
      of(ids(3).invocationId).map((e) => e.sequence),
      range(1, a.length),
    );
    assert.deepEqual(
      of(ids(4).invocationId).map((e) => e.sequence),
      range(1, b.length),
    );
    assert.deepEqual(finished.sort(), [ids(3).invocationId, ids(4).invocationId].sort());
  });

  it('fails only the stream with a malformed message, with a clear status', async () => {
    const good = records('04-source-changed');
    const bad = [
      streamRequest(ids(6), 1, good[0] ?? new Uint8Array()),
      streamRequest(ids(6), 2, Buffer.from([0x0a, 0xff, 0xff, 0x01])),
    ];
    const [rGood, rBad] = await Promise.all([
      client.stream(fullStream(ids(5), good)),
      client.stream(bad),
    ]);
    assert.equal(rGood.status.code, grpc.status.OK);
    assert.equal(rBad.status.code, grpc.status.INVALID_ARGUMENT);
    assert.match(
      rBad.status.details,
      /invocation 11111111-2222-3333-4444-555555555556, event 2: malformed BEP event \(4 bytes\)/,
    );
    assert.deepEqual(rBad.acks, [1]);
    assert.equal(events.filter((e) => e.invocationId === ids(5).invocationId).length, good.length);
    assert.equal(problems.length, 1);
  });

  it('rejects a request that is not a protobuf message at all, on that call only', async () => {
    const outcome = await client.stream([Buffer.from('not a protobuf message at all')]);
    assert.equal(outcome.status.code, grpc.status.INVALID_ARGUMENT);
    assert.match(
      outcome.status.details,
      /malformed PublishBuildToolEventStreamRequest \(29 bytes\)/,
    );
  });

  it('accepts only the invocations it was told to, when told', async () => {
    await sink.close();
    sink = new BesSink({ acceptInvocation: (id) => id === ids(7).invocationId });
    client.close();
    client = new BesTestClient(await sink.listen('127.0.0.1:0'));
    const bep = records('02-noop-rebuild');
    const denied = await client.stream(fullStream(ids(8), bep));
    assert.equal(denied.status.code, grpc.status.PERMISSION_DENIED);
    const allowed = await client.stream(fullStream(ids(7), bep));
    assert.equal(allowed.status.code, grpc.status.OK);
  });

  it('listens on a unix socket in a private directory too (for Bazel builds that support it)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-sock-'));
    const unixSink = new BesSink();
    const got: SinkEvent[] = [];
    unixSink.onEvent.event((e) => got.push(e));
    const address = await unixSink.listen(`unix:${path.join(dir, 'bes.sock')}`);
    assert.equal(address, `unix:${path.join(dir, 'bes.sock')}`);
    const unixClient = new BesTestClient(address);
    const bep = records('02-noop-rebuild');
    const outcome = await unixClient.stream(fullStream(ids(1), bep));
    assert.equal(outcome.status.code, grpc.status.OK);
    assert.equal(got.length, bep.length);
    unixClient.close();
    await unixSink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('forwards the metadata the client sent, binary values included, and no transport headers', async () => {
    const backend = new GrpcServer({ maxMessageBytes: 1 << 20 });
    const seen: CallMetadata[] = [];
    backend.unary(LIFECYCLE_PATH, (_req, metadata) => {
      seen.push(metadata);
      return { code: Status.OK };
    });
    backend.bidi(STREAM_PATH, (call) => {
      seen.push(call.metadata);
      return { message: () => undefined, end: () => call.finish(Status.OK), cancelled: () => {} };
    });
    const backendPort = await backend.listen('127.0.0.1:0');
    await sink.close();
    sink = new BesSink({ forward: [`grpc://127.0.0.1:${backendPort}`] });
    const address = (await sink.listen('127.0.0.1:0')).replace('grpc://', '');
    const raw = new grpc.Client(address, grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    md.set('x-build-tag', 'nightly');
    md.set('x-trace-bin', Buffer.from([0, 1, 2, 250]));
    const lifecycle = clientCodec.encodeLifecycle({
      buildEvent: { streamId: { buildId: 'b', invocationId: 'i' }, event: { buildEnqueued: {} } },
    });
    await new Promise<void>((resolve, reject) =>
      raw.makeUnaryRequest(
        LIFECYCLE_PATH,
        (b: Buffer) => b,
        () => ({}),
        lifecycle,
        md,
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    await sink.close();
    raw.close();
    await backend.close(100);
    assert.equal(seen.length, 1);
    const got = seen[0] ?? {};
    assert.equal(got['x-build-tag'], 'nightly');
    assert.deepEqual(
      Buffer.from(String(got['x-trace-bin']), 'base64'),
      Buffer.from([0, 1, 2, 250]),
    );
    for (const name of Object.keys(got)) assert.doesNotMatch(name, /^(:|te$|content-type$|grpc-)/);
  });

  it('forwards every event to another BES backend', async () => {
    const backend = new BesSink();
    const received: SinkEvent[] = [];
    backend.onEvent.event((e) => received.push(e));
    const backendUrl = await backend.listen('127.0.0.1:0');
    await sink.close();
    sink = new BesSink({ forward: [backendUrl] });
    client.close();
    client = new BesTestClient(await sink.listen('127.0.0.1:0'));
    const bep = records('04-source-changed');
    assert.equal(await client.lifecycle(ids(9), 'enqueued'), null);
    const outcome = await client.stream(fullStream(ids(9), bep));
    assert.equal(outcome.status.code, grpc.status.OK);
    await sink.close();
    assert.deepEqual(
      received.map((e) => e.sequence),
      range(1, bep.length),
    );
    assert.deepEqual(sink.forwarders[0]?.errors, []);
    await backend.close();
  });
});
