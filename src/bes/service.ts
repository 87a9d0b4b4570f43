/**
 * The `google.devtools.build.v1.PublishBuildEvent` gRPC service's messages, over the static
 * protobufjs types (no proto-loader at run time). The server side keeps the raw request bytes
 * beside the decoded message, so a malformed request becomes a clear status on its own call (not
 * a generic INTERNAL, which Bazel would retry) and forwarding can re-send the exact bytes.
 */
import { google } from '../gen/protos';

const v1 = google.devtools.build.v1;
export type LifecycleRequest = google.devtools.build.v1.PublishLifecycleEventRequest;
export type StreamRequest = google.devtools.build.v1.PublishBuildToolEventStreamRequest;
export type StreamResponse = google.devtools.build.v1.PublishBuildToolEventStreamResponse;

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

/**
 * Builds the stream's acks (PublishBuildToolEventStreamResponse: the request's stream id, field
 * 1, and its sequence number, field 2) straight into a buffer. Every request of a stream carries
 * the same stream id, so its bytes are encoded once and copied; the per-event protobufjs writer
 * (a Writer, its op list, a finish copy and a Buffer copy per ack) was a visible share of the
 * sink's time per event. Gives the same bytes as encoding the message.
 */
export class AckEncoder {
  private buildId: string | null = null;
  private invocationId = '';
  private component = 0;
  private prefix = Buffer.alloc(0);

  encode(streamId: google.devtools.build.v1.IStreamId | null | undefined, seq: number): Buffer {
    if (!streamId) {
      this.buildId = null;
      this.prefix = Buffer.alloc(0);
    } else if (
      streamId.buildId !== this.buildId ||
      (streamId.invocationId ?? '') !== this.invocationId ||
      (streamId.component ?? 0) !== this.component
    ) {
      this.buildId = streamId.buildId ?? '';
      this.invocationId = streamId.invocationId ?? '';
      this.component = streamId.component ?? 0;
      const id = v1.StreamId.encode(streamId).finish();
      const head = Buffer.alloc(1 + varintLength(id.length));
      head[0] = 0x0a;
      writeVarint(head, 1, id.length);
      this.prefix = Buffer.concat([head, id]);
    }
    // Field 2 is left out at 0, as proto3 encoding does.
    const seqBytes = seq === 0 ? 0 : 1 + varintLength(seq);
    const out = Buffer.allocUnsafe(this.prefix.length + seqBytes);
    this.prefix.copy(out, 0);
    if (seq !== 0) {
      out[this.prefix.length] = 0x10;
      writeVarint(out, this.prefix.length + 1, seq);
    }
    return out;
  }
}

/** Bytes of a non-negative integer (below 2^53) as a protobuf varint. */
function varintLength(value: number): number {
  let n = 1;
  for (let v = value; v >= 128; v = Math.floor(v / 128)) n++;
  return n;
}

function writeVarint(out: Buffer, at: number, value: number): void {
  let pos = at;
  let v = value;
  while (v >= 128) {
    out[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos] = v;
}
const rawBytes = (b: Buffer): Buffer => b;

/** The server's request decoders: a decoded message, or why the bytes are not one. */
export const decodeLifecycleRequest = decoder((b) => v1.PublishLifecycleEventRequest.decode(b));
export const decodeStreamRequest = decoder((b) => v1.PublishBuildToolEventStreamRequest.decode(b));

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
