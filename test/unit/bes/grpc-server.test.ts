// The sink's own gRPC server (src/bes/grpc/) against real clients: grpc-js for what a gRPC
// client sees (statuses, messages, compression, a server that goes away), and raw node:http2
// for what a gRPC client would never send (wrong content type, a client that reads no responses).
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as http2 from 'node:http2';
import { GrpcServer, type BidiCall } from '../../../src/bes/grpc/server';
import { frameMessage } from '../../../src/bes/grpc/framing';
import { Status } from '../../../src/bes/grpc/status';
import { pollUntil } from '../../helpers/poll-until';

const ECHO = '/test.Echo/Stream';
const UNARY = '/test.Echo/Once';
const raw = (b: Buffer): Buffer => b;

interface Outcome {
  responses: Buffer[];
  status: grpc.StatusObject;
}

function bidi(client: grpc.Client, requests: Buffer[], end = true): Promise<Outcome> {
  const call = client.makeBidiStreamRequest(ECHO, raw, raw);
  const responses: Buffer[] = [];
  return new Promise((resolve) => {
    call.on('data', (b: Buffer) => responses.push(b));
    call.on('error', () => undefined);
    call.on('status', (status: grpc.StatusObject) => resolve({ responses, status }));
    for (const r of requests) call.write(r);
    if (end) call.end();
  });
}

function unary(
  client: grpc.Client,
  path: string,
  request: Buffer,
): Promise<grpc.ServiceError | Buffer> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, raw, raw, request, (err, value) =>
      resolve(err ?? value ?? Buffer.alloc(0)),
    );
  });
}

/** Starts `server` and opens one call to ECHO over raw HTTP/2 (what no gRPC client would do). */
async function rawCall(
  server: GrpcServer,
): Promise<{ session: http2.ClientHttp2Session; req: http2.ClientHttp2Stream }> {
  const port = (await server.listen('127.0.0.1:0')) ?? 0;
  const session = http2.connect(`http://127.0.0.1:${port}`);
  const req = session.request({
    ':method': 'POST',
    ':path': ECHO,
    'content-type': 'application/grpc',
  });
  req.on('error', () => undefined);
  return { session, req };
}

/** A server whose stream echoes every request upper-cased and ends OK at the half-close. */
function echoServer(maxMessageBytes = 1 << 20): { server: GrpcServer; calls: BidiCall[] } {
  const server = new GrpcServer({ maxMessageBytes });
  const calls: BidiCall[] = [];
  server.bidi(ECHO, (call) => {
    calls.push(call);
    return {
      message: (m) => call.write(Buffer.from(m.toString('utf8').toUpperCase())),
      end: () => call.finish(Status.OK),
      cancelled: () => undefined,
    };
  });
  server.unary(UNARY, (request, metadata) =>
    request.toString() === 'fail'
      ? { code: Status.FAILED_PRECONDITION, details: 'asked to fail: 100% sure, ünïcode' }
      : {
          code: Status.OK,
          response: Buffer.from(`${request.toString()}|${String(metadata['x-tag'])}`),
        },
  );
  return { server, calls };
}

describe('gRPC server on node:http2', () => {
  let server: GrpcServer;
  let client: grpc.Client;
  let port: number;

  beforeEach(async () => {
    ({ server } = echoServer());
    port = (await server.listen('127.0.0.1:0')) ?? 0;
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterEach(async () => {
    client.close();
    await server.close(500);
  });

  it('streams responses to a grpc-js client and ends OK after its half-close', async () => {
    const requests = Array.from({ length: 2000 }, (_, i) => Buffer.from(`event ${i}`));
    const outcome = await bidi(client, requests);
    assert.equal(outcome.status.code, grpc.status.OK);
    assert.deepEqual(
      outcome.responses.map(String),
      requests.map((r) => r.toString().toUpperCase()),
    );
  });

  it('answers unary calls with the response, metadata seen, and errors with their text intact', async () => {
    const md = new grpc.Metadata();
    md.set('x-tag', 'seen');
    const ok = await new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(UNARY, raw, raw, Buffer.from('hi'), md, (err, v) =>
        err ? reject(err) : resolve(v ?? Buffer.alloc(0)),
      ),
    );
    assert.equal(ok.toString(), 'hi|seen');
    const failed = await unary(client, UNARY, Buffer.from('fail'));
    assert.ok(!Buffer.isBuffer(failed));
    assert.equal(failed.code, grpc.status.FAILED_PRECONDITION);
    assert.equal(failed.details, 'asked to fail: 100% sure, ünïcode');
  });

  it('answers a method it does not serve with UNIMPLEMENTED', async () => {
    const err = await unary(client, '/test.Echo/Nothing', Buffer.from('x'));
    assert.ok(!Buffer.isBuffer(err));
    assert.equal(err.code, grpc.status.UNIMPLEMENTED);
    assert.match(err.details, /\/test\.Echo\/Nothing/);
  });

  it('reads gzip-compressed requests from a client that compresses', async () => {
    const gzipClient = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      'grpc.default_compression_algorithm': 2, // gzip
    });
    const requests = [Buffer.from('a'.repeat(5000)), Buffer.from('compressed')];
    const outcome = await bidi(gzipClient, requests);
    gzipClient.close();
    assert.equal(outcome.status.code, grpc.status.OK, outcome.status.details);
    assert.deepEqual(outcome.responses.map(String), ['A'.repeat(5000), 'COMPRESSED']);
  });

  it('refuses a message over the limit with RESOURCE_EXHAUSTED on that call only', async () => {
    await server.close(100);
    ({ server } = echoServer(1000));
    port = (await server.listen('127.0.0.1:0')) ?? 0;
    client.close();
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const [big, small] = await Promise.all([
      bidi(client, [Buffer.from('ok'), Buffer.alloc(5000)]),
      bidi(client, [Buffer.from('fine')]),
    ]);
    assert.equal(big.status.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(big.status.details, /5000 vs\. 1000/);
    assert.deepEqual(big.responses.map(String), ['OK']);
    assert.equal(small.status.code, grpc.status.OK);
  });

  it('answers a request that is not gRPC with HTTP 415, and a GET with 405', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const statusOf = (headers: http2.OutgoingHttpHeaders): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = session.request(headers, { endStream: true });
        req.on('response', (h) => resolve(Number(h[':status'])));
        req.on('error', reject);
        req.resume();
      });
    assert.equal(
      await statusOf({ ':method': 'POST', ':path': ECHO, 'content-type': 'text/plain' }),
      415,
    );
    assert.equal(await statusOf({ ':method': 'GET', ':path': ECHO }), 405);
    session.close();
  });

  it('tells the handler when the client goes away mid-call', async () => {
    await server.close(100);
    server = new GrpcServer({ maxMessageBytes: 1 << 20 });
    let cancelled = 0;
    let ended = 0;
    server.bidi(ECHO, (call) => ({
      message: (m) => call.write(m),
      end: () => ended++,
      cancelled: () => cancelled++,
    }));
    const { session, req } = await rawCall(server);
    req.write(frameMessage(Buffer.from('one')));
    await new Promise((resolve) => req.once('data', resolve));
    // The connection drops without a half-close: what a dying client looks like.
    session.destroy();
    await pollUntil(() => cancelled === 1, { timeoutMs: 5000, what: 'the cancel' });
    assert.equal(ended, 0);
  });

  it('stops reading a client that reads no responses, and goes on when it reads again', async () => {
    await server.close(100);
    server = new GrpcServer({ maxMessageBytes: 1 << 20 });
    let received = 0;
    const response = Buffer.alloc(200, 1);
    server.bidi(ECHO, (call) => ({
      message: () => {
        received++;
        call.write(response);
      },
      end: () => call.finish(Status.OK),
      cancelled: () => undefined,
    }));
    const { session, req } = await rawCall(server);
    req.pause();
    const total = 60_000; // 12 MB of responses: far beyond what the server queues for one call
    const framed = frameMessage(Buffer.from('e'));
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => framed));
    const writes = (async () => {
      for (let i = 0; i < total / 1000; i++) {
        if (!req.write(batch)) await new Promise((resolve) => req.once('drain', resolve));
      }
      req.end();
    })();
    // Wait until the server stops taking requests, then check it stopped well short.
    let last = -1;
    await pollUntil(
      async () => {
        const stalled = received === last && received > 0;
        last = received;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return stalled;
      },
      { timeoutMs: 20_000, what: 'the server to stop reading' },
    );
    assert.ok(received < total / 2, `the server took ${received} of ${total} without acking`);
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const ended = new Promise((resolve) => req.once('end', resolve));
    req.resume();
    await writes;
    await ended;
    assert.equal(received, total);
    assert.equal(bytes, total * (5 + response.length));
    session.close();
  });

  it('kill() cuts open calls (the client sees UNAVAILABLE) and stops listening', async () => {
    const open = bidi(client, [Buffer.from('held')], false);
    await pollUntil(() => true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.kill();
    const outcome = await open;
    assert.equal(outcome.status.code, grpc.status.UNAVAILABLE);
    const again = await unary(client, UNARY, Buffer.from('x'));
    assert.ok(!Buffer.isBuffer(again));
    assert.equal(again.code, grpc.status.UNAVAILABLE);
  });

  it('close() lets a finishing call end, then cuts the ones still open after the grace', async () => {
    const open = bidi(client, [Buffer.from('held')], false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await server.close(300);
    const outcome = await open;
    assert.ok(Date.now() - started >= 250, 'close() did not wait for the grace');
    assert.notEqual(outcome.status.code, grpc.status.OK);
  });
});
