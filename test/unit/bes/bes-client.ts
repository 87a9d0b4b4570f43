// A real grpc-js client of PublishBuildEvent for tests: replays BEP events as Bazel sends them
// (lifecycle calls, one tool stream with sequence numbers 1..N and a final
// component_stream_finished) and records acks and the final status.
import * as grpc from '@grpc/grpc-js';
import * as fs from 'node:fs';
import * as protobuf from 'protobufjs/minimal';
import {
  clientCodec,
  LIFECYCLE_PATH,
  STREAM_PATH,
  type StreamResponse,
} from '../../../src/bes/service';

export const BEP_TYPE_URL = 'type.googleapis.com/build_event_stream.BuildEvent';

/** The serialized BuildEvent records of a varint-delimited `--build_event_binary_file`. */
export function bepRecords(file: string): Uint8Array[] {
  const reader = protobuf.Reader.create(fs.readFileSync(file));
  const out: Uint8Array[] = [];
  while (reader.pos < reader.len) out.push(reader.bytes());
  return out;
}

export interface StreamIds {
  buildId: string;
  invocationId: string;
}

/** Request `seq` of a tool stream: one BEP record, or the finish marker when `bep` is null. */
export function streamRequest(ids: StreamIds, seq: number, bep: Uint8Array | null): Buffer {
  const streamId = { buildId: ids.buildId, invocationId: ids.invocationId, component: 3 };
  const event = bep
    ? { bazelEvent: { type_url: BEP_TYPE_URL, value: bep } }
    : { componentStreamFinished: { type: 1 } };
  return clientCodec.encodeStreamRequest({
    orderedBuildEvent: { streamId, sequenceNumber: seq, event },
  });
}

export interface StreamOutcome {
  acks: number[];
  status: grpc.StatusObject;
}

export class BesTestClient {
  private readonly client: grpc.Client;

  constructor(address: string) {
    this.client = new grpc.Client(
      address.replace(/^grpc:\/\//, ''),
      grpc.credentials.createInsecure(),
    );
  }

  lifecycle(ids: StreamIds, kind: 'enqueued' | 'finished'): Promise<grpc.ServiceError | null> {
    const streamId = { buildId: ids.buildId, invocationId: ids.invocationId, component: 1 };
    const event =
      kind === 'enqueued'
        ? { buildEnqueued: {} }
        : { invocationAttemptFinished: { invocationStatus: { result: 1 } } };
    const raw = clientCodec.encodeLifecycle({
      serviceLevel: 1,
      buildEvent: { streamId, sequenceNumber: kind === 'enqueued' ? 1 : 2, event },
    });
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        LIFECYCLE_PATH,
        clientCodec.serializeRaw,
        clientCodec.deserializeEmpty,
        raw,
        (err) => resolve(err ?? null),
      );
    });
  }

  /**
   * Sends `requests` on one new stream, then half-closes (unless `cancelAfter` is given: then the
   * client cancels after that many acks, as a broken connection would). Resolves with acks and status.
   */
  stream(requests: Buffer[], options: { cancelAfterAcks?: number } = {}): Promise<StreamOutcome> {
    const call = this.client.makeBidiStreamRequest(
      STREAM_PATH,
      clientCodec.serializeRaw,
      clientCodec.deserializeAck,
    );
    const acks: number[] = [];
    return new Promise((resolve) => {
      call.on('data', (ack: StreamResponse) => {
        acks.push(Number(ack.sequenceNumber));
        if (options.cancelAfterAcks !== undefined && acks.length === options.cancelAfterAcks)
          call.cancel();
      });
      call.on('error', () => undefined);
      call.on('status', (status: grpc.StatusObject) => resolve({ acks, status }));
      for (const r of requests) call.write(r);
      if (options.cancelAfterAcks === undefined) call.end();
    });
  }

  close(): void {
    this.client.close();
  }
}

/** The full request list Bazel would send for these BEP records. */
export function fullStream(ids: StreamIds, records: Uint8Array[]): Buffer[] {
  return [
    ...records.map((r, i) => streamRequest(ids, i + 1, r)),
    streamRequest(ids, records.length + 1, null),
  ];
}
