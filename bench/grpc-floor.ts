/**
 * The ingest benchmark's floor: a bare grpc-js server for the same PublishBuildToolEventStream
 * call that does nothing with a request (raw bytes, no decoding) and answers each with one
 * pre-encoded ack. Streaming the same requests from the same client process into it measures
 * what gRPC framing alone costs on this machine (HTTP/2 frames, grpc-js message framing, one
 * ack per event): no sink can be faster than this, whatever it does with the events.
 */
import * as grpc from '@grpc/grpc-js';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { AckEncoder, LIFECYCLE_PATH, STREAM_PATH } from '../src/bes/service';

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

export class GrpcFloorServer {
  /** The sink's server options that matter per message (see BesSink). */
  private readonly server = new grpc.Server({
    'grpc.max_receive_message_length': 256 << 20,
  });
  /** Called with the number of requests the current calls have received so far. */
  onRequest: (received: number) => void = () => undefined;
  private received = 0;

  constructor() {
    // A real ack's bytes (a TOOL stream id and a 6-digit sequence number), sent for every event.
    const ack = new AckEncoder().encode(
      { buildId: 'build-00000000-0000-4000-8000-000000000001', invocationId: 'x', component: 3 },
      123456,
    );
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

  /** Starts counting requests from zero (one stream at a time). */
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
