/**
 * The ingest benchmark's floors: servers for the same PublishBuildToolEventStream call that do
 * nothing with a request (raw bytes, no decoding) and answer each with one pre-encoded ack.
 * Streaming the same requests from the same client process into them measures what the
 * transport alone costs on this machine, so no sink on it can be faster:
 * - TransportFloorServer: the sink's own gRPC server (src/bes/grpc/, node:http2);
 * - GrpcJsFloorServer: a bare grpc-js server, the library the sink used before: its figure
 *   beside the other shows why the sink has its own transport.
 */
import * as grpc from '@grpc/grpc-js';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { GrpcServer } from '../src/bes/grpc/server';
import { Status } from '../src/bes/grpc/status';
import { AckEncoder, LIFECYCLE_PATH, STREAM_PATH } from '../src/bes/service';
import { MAX_MESSAGE_BYTES } from '../src/bes/sink';

export interface FloorServer {
  /** Called with the number of requests the current calls have received so far. */
  onRequest: (received: number) => void;
  /** Starts counting requests from zero (one stream at a time). */
  reset(): void;
  listen(): Promise<string>;
  close(): void;
}

/** A real ack's bytes (a TOOL stream id and a 6-digit sequence number), sent for every event. */
function sampleAck(): Buffer {
  return new AckEncoder().encode(
    { buildId: 'build-00000000-0000-4000-8000-000000000001', invocationId: 'x', component: 3 },
    123456,
  );
}

export class TransportFloorServer implements FloorServer {
  private readonly server = new GrpcServer({ maxMessageBytes: MAX_MESSAGE_BYTES });
  onRequest: (received: number) => void = () => undefined;
  private received = 0;

  constructor() {
    const ack = sampleAck();
    this.server.unary(LIFECYCLE_PATH, () => ({ code: Status.OK }));
    this.server.bidi(STREAM_PATH, (call) => ({
      message: () => {
        call.write(ack);
        this.onRequest(++this.received);
      },
      end: () => call.finish(Status.OK),
      cancelled: () => undefined,
    }));
  }

  reset(): void {
    this.received = 0;
  }

  async listen(): Promise<string> {
    return `grpc://127.0.0.1:${(await this.server.listen('127.0.0.1:0')) ?? ''}`;
  }

  close(): void {
    this.server.kill();
  }
}

const raw = (b: Buffer): Buffer => b;

const FLOOR_SERVICE: ServiceDefinition = {
  PublishLifecycleEvent: {
    path: LIFECYCLE_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  },
  PublishBuildToolEventStream: {
    path: STREAM_PATH,
    requestStream: true,
    responseStream: true,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  },
};

export class GrpcJsFloorServer implements FloorServer {
  private readonly server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  });
  onRequest: (received: number) => void = () => undefined;
  private received = 0;

  constructor() {
    const ack = sampleAck();
    this.server.addService(FLOOR_SERVICE, {
      PublishLifecycleEvent: (
        _call: grpc.ServerUnaryCall<Buffer, Buffer>,
        callback: grpc.sendUnaryData<Buffer>,
      ) => callback(null, Buffer.alloc(0)),
      PublishBuildToolEventStream: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
        call.on('data', () => {
          call.write(ack);
          this.onRequest(++this.received);
        });
        call.on('end', () => call.end());
        call.on('error', () => undefined);
      },
    });
  }

  reset(): void {
    this.received = 0;
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(`grpc://127.0.0.1:${port}`),
      );
    });
  }

  close(): void {
    this.server.forceShutdown();
  }
}
