import { InputError } from './errors';

/** Bazel never writes a single record this large; a bigger length prefix means damage. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** One length-delimited record: its payload and the offset of its length prefix. */
export interface DelimitedRecord {
  offset: number;
  bytes: Uint8Array;
}

/**
 * Splits a varint-length-delimited stream (protobuf `writeDelimitedTo`, as Bazel writes BEP
 * and execution logs) into records, chunk by chunk, so a file never has to be in memory whole.
 * Only the bytes of the one unfinished record are kept between chunks, and they are gathered
 * without copying until the record's length (known from its prefix) has arrived, so a large
 * record split over many chunks is copied once, not once per chunk.
 */
export class DelimitedSplitter {
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  /** Stream offset of the first pending byte. */
  private base = 0;
  /** Bytes the next record needs in total (prefix included), when its prefix is known. */
  private needed = 0;

  constructor(
    /** The file name for errors. */
    private readonly source?: string,
    private readonly maxRecordBytes = MAX_RECORD_BYTES,
  ) {}

  /** Stream offset just after the last complete record. */
  get offset(): number {
    return this.base;
  }

  /**
   * Returns the records that are complete after `chunk`. Throws a located InputError for a
   * malformed or oversized length prefix; records before it were returned by earlier calls
   * or are passed to `onRecord` before the throw.
   */
  push(chunk: Uint8Array, onRecord: (record: DelimitedRecord) => void): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.needed > this.pendingLength) return;
    const buf =
      this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLength);
    let pos = 0;
    this.needed = 0;
    const end = buf.length;
    while (pos < end) {
      // Inline varint decoding: this loop runs once per record of logs with 10^5+ entries.
      let length = 0;
      let shift = 0;
      let p = pos;
      let complete = false;
      while (p < end) {
        const byte = buf[p++];
        length += shift < 28 ? (byte & 0x7f) << shift : (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) {
          complete = true;
          break;
        }
        shift += 7;
        if (shift > 63)
          throw this.error(
            'malformed length prefix (varint longer than 10 bytes)',
            this.base + pos,
          );
      }
      if (!complete) break;
      if (length > this.maxRecordBytes) {
        throw this.error(
          `record length ${length} exceeds the ${this.maxRecordBytes}-byte limit (damaged or not a delimited log)`,
          this.base + pos,
        );
      }
      if (p + length > end) {
        this.needed = p - pos + length;
        break;
      }
      onRecord({ offset: this.base + pos, bytes: buf.subarray(p, p + length) });
      pos = p + length;
    }
    // Keep a private copy of the unfinished record: the caller may reuse its chunk buffers.
    this.base += pos;
    const rest = end - pos;
    this.pending = rest > 0 ? [buf.slice(pos)] : [];
    this.pendingLength = rest;
  }

  /** Throws a located InputError when the stream ended inside a record. */
  finish(): void {
    if (this.pendingLength === 0) return;
    if (this.needed > 0) {
      throw this.error(
        `truncated record: ${this.needed} bytes announced (with the length prefix) but only ${this.pendingLength} remain`,
        this.base,
      );
    }
    throw this.error('truncated length prefix at the end of the file', this.base);
  }

  private error(message: string, offset: number): InputError {
    return new InputError(message, this.source, offset);
  }
}
