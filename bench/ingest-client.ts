/**
 * The ingest benchmark's Bazel stand-in, run as a SEPARATE process (as Bazel is): it encodes a
 * generated BEP stream once, prints `ready`, then for every `go INVOCATION_ID` line on stdin
 * streams all events over one PublishBuildToolEventStream call, and prints
 * `{"invocationId":…,"acks":N,"code":0}` when the call ends. Exits when stdin closes.
 *
 * Usage: node ingest-client.js GRPC_URL EVENTS SEED
 */
import * as grpc from '@grpc/grpc-js';
import * as readline from 'node:readline';
import { STREAM_PATH, clientCodec, type StreamResponse } from '../src/bes/service';
import { generateBepStream } from './bep-generate';
import { toolStreamRequests } from './bes-stream-requests';

function streamAll(
  client: grpc.Client,
  requests: readonly Buffer[],
): Promise<{ acks: number; code: number; details: string }> {
  const call = client.makeBidiStreamRequest(
    STREAM_PATH,
    clientCodec.serializeRaw,
    clientCodec.deserializeAck,
  );
  let acks = 0;
  return new Promise((resolve) => {
    call.on('data', (_ack: StreamResponse) => acks++);
    call.on('error', () => undefined);
    call.on('status', (status: grpc.StatusObject) =>
      resolve({ acks, code: status.code, details: status.details }),
    );
    // Everything is written at once and grpc-js queues what HTTP/2 flow control holds back:
    // waiting for 'drain' after every full buffer made the client's own round trips the limit
    // (about half the rate on this machine), and the requests are in memory anyway.
    for (const request of requests) call.write(request);
    call.end();
  });
}

async function main(): Promise<void> {
  const [url, eventsArg, seedArg] = process.argv.slice(2);
  const count = Number(eventsArg);
  const seed = Number(seedArg ?? 42);
  if (!url || !Number.isInteger(count))
    throw new Error('usage: ingest-client GRPC_URL EVENTS SEED');
  const { events } = generateBepStream({ events: count }, seed);
  const client = new grpc.Client(url.replace(/^grpc:\/\//, ''), grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': 256 * 1024 * 1024,
    // grpc-js keeps every written message for a possible transparent retry until the server's
    // first response: a copy and bookkeeping per event on the client's side of the clock that
    // Bazel's own gRPC stack does not spend.
    'grpc.enable_retries': 0,
  });
  process.stdout.write('ready\n');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const m = /^go (\S+)$/.exec(line.trim());
    if (!m?.[1]) continue;
    // Encoding belongs to Bazel's side of the wire: done before the clock runs on the sink side.
    const requests = toolStreamRequests(m[1], events);
    process.stdout.write('sending\n');
    const outcome = await streamAll(client, requests);
    process.stdout.write(`${JSON.stringify({ invocationId: m[1], ...outcome })}\n`);
  }
  client.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`ingest-client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
