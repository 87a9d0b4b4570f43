/**
 * ingest: a generated BEP stream is streamed over real gRPC by a separate client process into the
 * BES sink, whose events feed the build model; the clock runs from the client's first write until
 * the model holds every event. Its peer, interleaved in the same run: decoding the same events
 * with the same schema in a tight loop (the physical limit of this process). And two floors: the
 * same client streaming the same requests into servers that decode nothing and send a
 * pre-encoded ack (grpc-floor.ts), on the sink's own transport and on grpc-js: what the
 * transport alone allows on this machine.
 */
import * as path from 'node:path';
import { decodeBepEvent, decodeBepMessage } from '../src/bep/decode';
import { BesSink } from '../src/bes/sink';
import { BuildModel } from '../src/model/build-model';
import { generateBepStream } from './bep-generate';
import { LineChild } from './child-lines';
import { GrpcJsFloorServer, TransportFloorServer, type FloorServer } from './grpc-floor';
import { median, medianInterval, ratioInterval, round, type Interval } from './stats';

export interface IngestOptions {
  events: number;
  runs: number;
  seed: number;
  /** A streamed run still short of all events after this long is stopped (its rate so far counts). */
  runLimitMs: number;
}

export interface IngestFigures {
  events: number;
  eventsPerSec: number;
  decodeOnlyEventsPerSec: number;
  /** End-to-end rate / decode-only rate, median with 95 % interval. */
  ratio: Interval;
  /** False when a streamed run hit the time limit: its rate is the events held / the limit. */
  complete: boolean;
  /** The same streams into the sink with nobody applying them to the model: the model's share. */
  sinkOnlyEventsPerSec: number;
  /**
   * CPU microseconds per event in the sink's process (less disturbed by a loaded machine than
   * wall time): end to end, sink only, and the decode-only loop.
   */
  cpuMicrosPerEvent: { endToEnd: number; sinkOnly: number; decodeOnly: number };
  /** Decode plus the JSON-shape conversion the sink does (decodeBepEvent): where time goes. */
  decodeToObjectEventsPerSec: number;
  /**
   * The same client and requests into the sink's own gRPC server doing nothing but ack
   * (grpc-floor.ts): the transport's limit, which no sink on it can pass.
   */
  transportFloorEventsPerSec: number;
  /** End-to-end rate / the transport floor's rate, median with 95 % interval. */
  floorRatio: Interval;
  /** CPU microseconds per event in this process for the transport floor server. */
  floorCpuMicrosPerEvent: number;
  /** The same into a bare grpc-js server: what the sink would be held to on grpc-js. */
  grpcJsFloorEventsPerSec: number;
  endToEndMs: number[];
  floorMs: number[];
  grpcJsFloorMs: number[];
  sinkOnlyMs: number[];
  decodeOnlyMs: number[];
}

interface StreamRun {
  ms: number;
  held: number;
  /** CPU time of this (the sink's) process per event held, in microseconds. */
  cpuMicrosPerEvent: number;
}

const ID_PREFIX = '00000000-0000-4000-8000-';

/**
 * One streamed run. With `withModel`, every event is applied to a fresh BuildModel as the sink
 * delivers it; the clock runs from the client's first write until the last event is held.
 */
async function streamOnce(
  client: LineChild,
  sink: BesSink,
  stream: { events: number; actions: number },
  run: number,
  withModel: boolean,
  limitMs: number,
): Promise<StreamRun> {
  const model = new BuildModel();
  const invocationId = `${ID_PREFIX}${String(run).padStart(12, '0')}`;
  let held = 0;
  let finishedAt = 0n;
  let sub: { dispose(): void } | undefined;
  const allHeld = new Promise<void>((resolve) => {
    sub = sink.onEvent.event((e) => {
      if (e.invocationId !== invocationId) return;
      if (withModel) model.applyEvent(e.invocationId, e.event, e.receivedAt);
      if (++held === stream.events) {
        finishedAt = process.hrtime.bigint();
        resolve();
      }
    });
  });
  client.send(`go ${invocationId}`);
  await client.next(/^sending$/);
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const cpuPerEvent = (): number => {
    const cpu = process.cpuUsage(cpuStart);
    return (cpu.user + cpu.system) / Math.max(1, held);
  };
  let timer: NodeJS.Timeout | undefined;
  const limited = new Promise<'limit'>((resolve) => {
    timer = setTimeout(() => resolve('limit'), limitMs);
  });
  const outcome = await Promise.race([allHeld, limited]);
  clearTimeout(timer);
  sub?.dispose();
  if (outcome === 'limit') {
    model.dispose();
    return { ms: limitMs, held, cpuMicrosPerEvent: cpuPerEvent() };
  }
  const status = JSON.parse(await client.next(/^\{/)) as {
    acks: number;
    code: number;
    details: string;
  };
  if (status.code !== 0 || status.acks !== stream.events + 1)
    throw new Error(
      `ingest: the stream ended with status ${status.code} (${status.details}) after ${status.acks} acks`,
    );
  if (withModel) {
    model.flush();
    const actions = model.actions(invocationId).length;
    if (actions !== stream.actions || !model.streamComplete(invocationId))
      throw new Error(`ingest: the model holds ${actions} actions, expected ${stream.actions}`);
  }
  model.dispose();
  return { ms: Number(finishedAt - started) / 1e6, held, cpuMicrosPerEvent: cpuPerEvent() };
}

/**
 * One stream from `client` into the floor server; the clock runs from the client's first write
 * until the server has received every request (events + component_stream_finished).
 */
async function floorOnce(
  client: LineChild,
  server: FloorServer,
  events: number,
  run: number,
  limitMs: number,
): Promise<StreamRun> {
  const invocationId = `${ID_PREFIX}${String(run).padStart(12, '0')}`;
  server.reset();
  let held = 0;
  let finishedAt = 0n;
  const allHeld = new Promise<void>((resolve) => {
    server.onRequest = (received) => {
      held = received;
      if (received === events + 1) {
        finishedAt = process.hrtime.bigint();
        resolve();
      }
    };
  });
  client.send(`go ${invocationId}`);
  await client.next(/^sending$/);
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let timer: NodeJS.Timeout | undefined;
  const limited = new Promise<'limit'>((resolve) => {
    timer = setTimeout(() => resolve('limit'), limitMs);
  });
  const outcome = await Promise.race([allHeld, limited]);
  clearTimeout(timer);
  server.onRequest = () => undefined;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMicrosPerEvent = (cpu.user + cpu.system) / Math.max(1, held);
  if (outcome === 'limit') return { ms: limitMs, held, cpuMicrosPerEvent };
  const status = JSON.parse(await client.next(/^\{/)) as { acks: number; code: number };
  if (status.code !== 0 || status.acks !== events + 1)
    throw new Error(
      `ingest floor: the stream ended with status ${status.code}, ${status.acks} acks`,
    );
  return { ms: Number(finishedAt - started) / 1e6, held: events, cpuMicrosPerEvent };
}

function decodeOnlyMs(events: readonly Uint8Array[]): number {
  const started = process.hrtime.bigint();
  let checksum = 0;
  for (const bytes of events) {
    // The sink's own decoding of an event's bytes (decode.ts), without the JSON-shape step.
    const e = decodeBepMessage(bytes);
    if (e.action) checksum++;
  }
  if (checksum === 0) throw new Error('ingest: decoded no action');
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function decodeToObjectMs(events: readonly Uint8Array[]): number {
  const started = process.hrtime.bigint();
  for (const bytes of events) decodeBepEvent(bytes);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

interface Floor {
  server: FloorServer;
  url: string;
  client: LineChild;
  runs: StreamRun[];
}

function startClient(url: string, options: IngestOptions): LineChild {
  return new LineChild('ingest client', path.join(__dirname, 'ingest-client.js'), [
    url,
    String(options.events),
    String(options.seed),
  ]);
}

export async function runIngestBench(
  options: IngestOptions,
  log: (line: string) => void,
): Promise<IngestFigures> {
  const stream = generateBepStream({ events: options.events }, options.seed);
  const sizes = { events: options.events, actions: stream.actions };
  const sink = new BesSink();
  const url = await sink.listen('127.0.0.1:0');
  let client = startClient(url, options);
  /** A floor server with its own client process, started (and kept for the finally). */
  const floors: Floor[] = [];
  const startFloor = async (server: FloorServer): Promise<Floor> => {
    const floorUrl = await server.listen();
    const floor: Floor = {
      server,
      url: floorUrl,
      client: startClient(floorUrl, options),
      runs: [],
    };
    floors.push(floor);
    await floor.client.next(/^ready$/);
    return floor;
  };
  try {
    await client.next(/^ready$/);
    const transport = await startFloor(new TransportFloorServer());
    const grpcJs = await startFloor(new GrpcJsFloorServer());
    const endToEnd: StreamRun[] = [];
    const sinkOnly: StreamRun[] = [];
    const decodeOnly: number[] = [];
    let decodeCpuMicros = 0;
    let complete = true;
    let run = 0;
    /** A streamed run; one stopped at the limit leaves its client mid-stream: start a new one. */
    const streamed = async (withModel: boolean): Promise<StreamRun> => {
      const r = await streamOnce(client, sink, sizes, ++run, withModel, options.runLimitMs);
      if (r.held < options.events) {
        complete = false;
        log(
          `ingest: a ${withModel ? 'end-to-end' : 'sink-only'} run stopped at the ${options.runLimitMs} ms limit with ${r.held} of ${options.events} events held`,
        );
        await client.close();
        client = startClient(url, options);
        await client.next(/^ready$/);
      }
      return r;
    };
    const floorRun = async (floor: Floor): Promise<void> => {
      const r = await floorOnce(
        floor.client,
        floor.server,
        options.events,
        ++run,
        options.runLimitMs,
      );
      floor.runs.push(r);
      if (r.held < options.events) {
        // Left mid-stream: a fresh client for the next floor run.
        await floor.client.close();
        floor.client = startClient(floor.url, options);
        await floor.client.next(/^ready$/);
      }
    };
    for (let round = 0; round < options.runs; round++) {
      // Interleaved, rotating which side goes first, so drifting load hits every side alike.
      const sides = ['decode', 'sink', 'model', 'floor', 'grpc-js'];
      for (let i = 0; i < round % sides.length; i++) sides.push(sides.shift() as string);
      for (const side of sides) {
        if (side === 'floor') await floorRun(transport);
        else if (side === 'grpc-js') await floorRun(grpcJs);
        else if (side === 'decode') {
          const cpu = process.cpuUsage();
          decodeOnly.push(decodeOnlyMs(stream.events));
          const used = process.cpuUsage(cpu);
          decodeCpuMicros += used.user + used.system;
        }
        // After a run hit the limit, more would only spend the budget the same way.
        // Sink-only is a diagnostic (the model's share of the time): one sample is enough.
        else if (side === 'sink' && sinkOnly.length === 0) sinkOnly.push(await streamed(false));
        else if (side === 'model' && (complete || endToEnd.length === 0))
          endToEnd.push(await streamed(true));
      }
      log(
        `ingest round ${round + 1}: end-to-end ${endToEnd.at(-1)?.ms.toFixed(0)} ms, sink only ${sinkOnly.at(-1)?.ms.toFixed(0)} ms, transport floor ${transport.runs.at(-1)?.ms.toFixed(0)} ms, grpc-js floor ${grpcJs.runs.at(-1)?.ms.toFixed(0)} ms, decode only ${decodeOnly.at(-1)?.toFixed(0)} ms`,
      );
    }
    const toObject = medianInterval([
      decodeToObjectMs(stream.events),
      decodeToObjectMs(stream.events),
      decodeToObjectMs(stream.events),
    ]);
    const rate = (ms: number): number => (options.events / ms) * 1000;
    // A run stopped at the limit counts as the time all events would take at its rate so far.
    const fullMs = (r: StreamRun): number => (r.ms * options.events) / Math.max(1, r.held);
    const e2eMs = endToEnd.map(fullMs);
    const sinkMs = sinkOnly.map(fullMs);
    const ratio = ratioInterval(decodeOnly, e2eMs);
    const floorMs = transport.runs.map(fullMs);
    const grpcJsMs = grpcJs.runs.map(fullMs);
    const floorRatio = ratioInterval(floorMs, e2eMs);
    const rounded = (i: Interval): Interval => ({
      ...i,
      median: round(i.median, 4),
      low: round(i.low, 4),
      high: round(i.high, 4),
    });
    return {
      events: options.events,
      eventsPerSec: Math.round(rate(medianInterval(e2eMs).median)),
      decodeOnlyEventsPerSec: Math.round(rate(medianInterval(decodeOnly).median)),
      ratio: rounded(ratio),
      complete,
      sinkOnlyEventsPerSec: Math.round(rate(medianInterval(sinkMs).median)),
      cpuMicrosPerEvent: {
        endToEnd: round(median(endToEnd.map((r) => r.cpuMicrosPerEvent)), 1),
        sinkOnly: round(median(sinkOnly.map((r) => r.cpuMicrosPerEvent)), 1),
        decodeOnly: round(decodeCpuMicros / (decodeOnly.length * options.events), 1),
      },
      decodeToObjectEventsPerSec: Math.round(rate(toObject.median)),
      transportFloorEventsPerSec: Math.round(rate(medianInterval(floorMs).median)),
      floorRatio: rounded(floorRatio),
      floorCpuMicrosPerEvent: round(median(transport.runs.map((r) => r.cpuMicrosPerEvent)), 1),
      grpcJsFloorEventsPerSec: Math.round(rate(medianInterval(grpcJsMs).median)),
      endToEndMs: e2eMs.map(Math.round),
      floorMs: floorMs.map(Math.round),
      grpcJsFloorMs: grpcJsMs.map(Math.round),
      sinkOnlyMs: sinkMs.map(Math.round),
      decodeOnlyMs: decodeOnly.map(Math.round),
    };
  } finally {
    await client.close();
    for (const floor of floors) {
      await floor.client.close();
      floor.server.close();
    }
    await sink.close(500);
  }
}
