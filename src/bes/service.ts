/**
 * The `google.devtools.build.v1.PublishBuildEvent` gRPC service, defined by hand over the static
 * protobufjs types (no proto-loader at run time). The server side keeps the raw request bytes
 * beside the decoded message, so a malformed request becomes a clear status on its own call (not
 * grpc-js's generic INTERNAL, which Bazel would retry) and forwarding can re-send the exact bytes.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import { google } from '../gen/protos';

const v1 = google.devtools.build.v1;
export type LifecycleRequest = google.devtools.build.v1.PublishLifecycleEventRequest;
export type StreamRequest = google.devtools.build.v1.PublishBuildToolEventStreamRequest;
export type StreamResponse = google.devtools.build.v1.PublishBuildToolEventStreamResponse;
export type IStreamResponse = google.devtools.build.v1.IPublishBuildToolEventStreamResponse;

export const SERVICE_NAME = 'google.devtools.build.v1.PublishBuildEvent';
export const LIFECYCLE_PATH = `/${SERVICE_NAME}/PublishLifecycleEvent`;
export const STREAM_PATH = `/${SERVICE_NAME}/PublishBuildToolEventStream`;

/** A request as the server handlers receive it: decoded, or why it could not be. */
export type Decoded<T> =
  { ok: true; message: T; raw: Buffer } | { ok: false; error: string; raw: Buffer };

function decoder<T>(decode: (bytes: Uint8Array) => T): (raw: Buffer) => Decoded<T> {
  return (raw) => {
    try {
      return { ok: true, message: decode(raw), raw };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err), raw };
    }
  };
}

const encodeEmpty = (): Buffer => Buffer.alloc(0);
const encodeResponse = (r: IStreamResponse): Buffer =>
  Buffer.from(v1.PublishBuildToolEventStreamResponse.encode(r).finish());
const rawBytes = (b: Buffer): Buffer => b;

/** Server-side definition: requests decode to `Decoded<...>`, responses encode from messages. */
export const publishBuildEventServer: ServiceDefinition = {
  PublishLifecycleEvent: {
    path: LIFECYCLE_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: rawBytes,
    requestDeserialize: decoder((b) => v1.PublishLifecycleEventRequest.decode(b)),
    responseSerialize: encodeEmpty,
    responseDeserialize: () => ({}),
  },
  PublishBuildToolEventStream: {
    path: STREAM_PATH,
    requestStream: true,
    responseStream: true,
    requestSerialize: rawBytes,
    requestDeserialize: decoder((b) => v1.PublishBuildToolEventStreamRequest.decode(b)),
    responseSerialize: encodeResponse,
    responseDeserialize: (b: Buffer) => v1.PublishBuildToolEventStreamResponse.decode(b),
  },
};

/** Client-side codecs (forwarding and tests): requests are raw bytes, responses decoded. */
export const clientCodec = {
  serializeRaw: rawBytes,
  deserializeEmpty: (): Record<string, never> => ({}),
  deserializeAck: (b: Buffer): StreamResponse => v1.PublishBuildToolEventStreamResponse.decode(b),
  encodeLifecycle: (m: google.devtools.build.v1.IPublishLifecycleEventRequest): Buffer =>
    Buffer.from(v1.PublishLifecycleEventRequest.encode(m).finish()),
  encodeStreamRequest: (m: google.devtools.build.v1.IPublishBuildToolEventStreamRequest): Buffer =>
    Buffer.from(v1.PublishBuildToolEventStreamRequest.encode(m).finish()),
};

/** Int64 fields decode as numbers (--force-number); this guards odd encodings anyway. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
