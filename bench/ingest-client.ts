/**
 * The ingest benchmark's Bazel stand-in, run as a SEPARATE process (as Bazel is): it encodes a
 * generated BEP stream once, prints `ready`, then for every `go INVOCATION_ID` line on stdin
 * streams all events over one PublishBuildToolEventStream call, and prints
 * `{"invocationId":…,"acks":N,"code":0}` when the call ends. Exits when stdin closes.
 *
 * It speaks gRPC over node:http2 itself (length-prefixed messages in DATA frames, status in the
 * trailers) rather than through grpc-js's client, whose own cost per message was the limit: into
 * the same bare grpc-js server, the grpc-js client streamed about 52,000 events/s and this one
 * about 100,000 (2-core machine, 2026-12-07). Bazel's client is grpc-java, not grpc-js. The
 * bench smoke test streams it into a grpc-js server too, so its wire format is checked against
 * a gRPC implementation that is not ours.
 *
 * Usage: node ingest-client.js GRPC_URL EVENTS SEED
 */
import * as http2 from 'node:http2';
import * as readline from 'node:readline';
import { MessageReader, frameMessage } from '../src/bes/grpc/framing';
import { STREAM_PATH } from '../src/bes/service';
import { generateBepStream } from './bep-generate';
import { toolStreamRequests } from './bes-stream-requests';

/** Bytes per write: DATA frames are cut from these by HTTP/2 flow control. */
const WRITE_BYTES = 64 * 1024;

interface Outcome {
  acks: number;
  code: number;
  details: string;
}

function streamAll(session: http2.ClientHttp2Session, wire: Buffer): Promise<Outcome> {
  const call = session.request({
    ':method': 'POST',
    ':path': STREAM_PATH,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  let acks = 0;
  const reader = new MessageReader(1 << 20);
  return new Promise((resolve) => {
    let status: Outcome | null = null;
    const statusOf = (headers: http2.IncomingHttpHeaders): void => {
      if (headers['grpc-status'] === undefined) return;
      status = {
        acks,
        code: Number(headers['grpc-status']),
        details: decodeURIComponent(String(headers['grpc-message'] ?? '')),
      };
    };
    call.on('response', statusOf); // a trailers-only answer
    call.on('trailers', statusOf);
    call.on('data', (chunk: Buffer) => reader.push(chunk, () => acks++));
    call.on('error', (err: Error) => {
      status ??= { acks, code: 14, details: err.message };
    });
    call.on('close', () =>
      resolve(
        status === null
          ? { acks, code: 13, details: 'the call ended without a status' }
          : { ...status, acks },
      ),
    );
    let at = 0;
    const pump = (): void => {
      while (at < wire.length) {
        const end = Math.min(wire.length, at + WRITE_BYTES);
        const more = call.write(wire.subarray(at, end));
        at = end;
        if (!more) {
          call.once('drain', pump);
          return;
        }
      }
      call.end();
    };
    pump();
  });
}

async function main(): Promise<void> {
  const [url, eventsArg, seedArg] = process.argv.slice(2);
  const count = Number(eventsArg);
  const seed = Number(seedArg ?? 42);
  if (!url || !Number.isInteger(count))
    throw new Error('usage: ingest-client GRPC_URL EVENTS SEED');
  const { events } = generateBepStream({ events: count }, seed);
  const session = http2.connect(url.replace(/^grpc:\/\//, 'http://'));
  session.on('error', (err: Error) => process.stderr.write(`ingest-client: ${err.message}\n`));
  process.stdout.write('ready\n');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const m = /^go (\S+)$/.exec(line.trim());
    if (!m?.[1]) continue;
    // Encoding belongs to Bazel's side of the wire: done before the clock runs on the sink side.
    const wire = Buffer.concat(toolStreamRequests(m[1], events).map(frameMessage));
    process.stdout.write('sending\n');
    const outcome = await streamAll(session, wire);
    process.stdout.write(`${JSON.stringify({ invocationId: m[1], ...outcome })}\n`);
  }
  session.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`ingest-client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
