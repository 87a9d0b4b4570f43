/**
 * gRPC's length-prefixed messages on an HTTP/2 stream (PROTOCOL-HTTP2.md): a 1-byte compressed
 * flag, a 4-byte big-endian length, then the message. DATA frames cut messages anywhere, so the
 * reader keeps what is left of one chunk for the next, and joins the pieces of a message only
 * once all of them are there (one copy, whatever the number of frames).
 */
import { CallFailure, Status } from './status';

export const PREFIX_BYTES = 5;

export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes needed before the next message (or prefix) can be read. */
  private need = PREFIX_BYTES;

  constructor(private readonly maxMessageBytes: number) {}

  /** True while part of a message is buffered (a stream that ends now was cut mid-message). */
  get midMessage(): boolean {
    return this.buffered > 0;
  }

  /**
   * Hands every complete message in `chunk` (and before it) to `deliver`, in order. Throws a
   * CallFailure for a flag other than 0/1 or a length over the limit: the stream cannot go on.
   */
  push(chunk: Buffer, deliver: (message: Buffer, compressed: boolean) => void): void {
    if (this.buffered === 0 && chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.need) return;
    const data = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    this.need = PREFIX_BYTES;
    let at = 0;
    while (data.length - at >= PREFIX_BYTES) {
      const flag = data[at] ?? 0;
      const length = data.readUInt32BE(at + 1);
      if (flag > 1) {
        throw new CallFailure(Status.INTERNAL, `invalid gRPC message flag ${flag} at byte ${at}`);
      }
      if (length > this.maxMessageBytes) {
        throw new CallFailure(
          Status.RESOURCE_EXHAUSTED,
          `received message larger than max (${length} vs. ${this.maxMessageBytes})`,
        );
      }
      if (data.length - at - PREFIX_BYTES < length) {
        this.need = PREFIX_BYTES + length;
        break;
      }
      const start = at + PREFIX_BYTES;
      at = start + length;
      deliver(data.subarray(start, at), flag === 1);
    }
    if (at < data.length) {
      this.chunks.push(data.subarray(at));
      this.buffered = data.length - at;
    }
  }
}

/** `message` with its gRPC prefix (uncompressed), in one buffer. */
export function frameMessage(message: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(PREFIX_BYTES + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  message.copy(framed, PREFIX_BYTES);
  return framed;
}
