import { InputError } from './errors';

/** Bazel never writes a single record this large; a bigger length prefix means damage. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** One length-delimited record: its payload and the offset of its length prefix. */
export interface DelimitedRecord {
  offset: number;
  bytes: Uint8Array;
}

const MAX_VARINT_BYTES = 10;

/**
 * Splits a varint-length-delimited stream (protobuf `writeDelimitedTo`, as Bazel writes BEP
 * and execution logs) into records, chunk by chunk, so a file never has to be in memory whole.
 * Between chunks only the unfinished record is kept: its pieces are gathered without copying
 * until its length (known from its prefix) has arrived, then joined once with just the bytes
 * it needs from the next chunk, so neither a large record over many chunks nor the chunks
 * themselves are copied again and again.
 */
export class DelimitedSplitter {
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  /** Stream offset of the first pending byte (or of the next chunk when nothing is pending). */
  private base = 0;
  /** Bytes the pending record needs in total (prefix included), once its prefix is known. */
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
   * Calls `onRecord` for every record that `chunk` completes. Throws a located InputError for a
   * malformed or oversized length prefix, after the records before it.
   */
  push(chunk: Uint8Array, onRecord: (record: DelimitedRecord) => void): void {
    this.pushRanges(chunk, (buf, start, end, offset) =>
      onRecord({ offset, bytes: buf.subarray(start, end) }),
    );
  }

  /**
   * Like `push`, but hands each record over as a range of a buffer instead of a view object:
   * for logs with 10^5+ records, one view per record is measurable garbage.
   */
  pushRanges(
    chunk: Uint8Array,
    onRecord: (buf: Uint8Array, start: number, end: number, offset: number) => void,
  ): void {
    if (chunk.length === 0) return;
    let pos = 0;
    if (this.pendingLength > 0) {
      pos = this.completePending(chunk, onRecord);
      if (pos < 0) return;
    }
    // From here on `base` is the stream offset of chunk[0].
    const end = chunk.length;
    while (pos < end) {
      // Inline varint decoding: this loop runs once per record of logs with 10^5+ entries.
      let length = 0;
      let shift = 0;
      let p = pos;
      let complete = false;
      while (p < end) {
        const byte = chunk[p++];
        length += shift < 28 ? (byte & 0x7f) << shift : (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) {
          complete = true;
          break;
        }
        shift += 7;
        if (shift >= 7 * MAX_VARINT_BYTES) throw this.badPrefix(this.base + pos);
      }
      if (!complete) break;
      if (length > this.maxRecordBytes) throw this.tooLong(length, this.base + pos);
      if (p + length > end) {
        this.needed = p - pos + length;
        break;
      }
      onRecord(chunk, p, p + length, this.base + pos);
      pos = p + length;
    }
    this.base += pos;
    if (pos < end) {
      // Keep a private copy of the unfinished record: the caller may reuse its chunk buffers.
      const rest = chunk.slice(pos);
      this.pending = [rest];
      this.pendingLength = rest.length;
    }
  }

  /**
   * Finishes the record begun in earlier chunks with the first bytes of `chunk`. Returns where
   * the rest of `chunk` starts (with `base` moved to chunk[0]), or -1 when `chunk` did not
   * finish it (then it is kept too).
   */
  private completePending(
    chunk: Uint8Array,
    onRecord: (buf: Uint8Array, start: number, end: number, offset: number) => void,
  ): number {
    const recordStart = this.base;
    if (this.needed === 0) {
      // The length prefix itself was cut: it is at most 10 bytes.
      const head = concat([...this.pending, chunk.subarray(0, MAX_VARINT_BYTES)]);
      let length = 0;
      let p = 0;
      for (let shift = 0; ; shift += 7) {
        if (p >= head.length) {
          this.keep(chunk);
          return -1;
        }
        if (shift >= 7 * MAX_VARINT_BYTES) throw this.badPrefix(recordStart);
        const byte = head[p++];
        length += shift < 28 ? (byte & 0x7f) << shift : (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) break;
      }
      if (length > this.maxRecordBytes) throw this.tooLong(length, recordStart);
      this.needed = p + length;
    }
    const take = this.needed - this.pendingLength;
    if (take > chunk.length) {
      this.keep(chunk);
      return -1;
    }
    const record = concat([...this.pending, chunk.subarray(0, take)]);
    let prefix = 0;
    while (record[prefix] >= 0x80) prefix++;
    this.pending = [];
    this.pendingLength = 0;
    this.needed = 0;
    onRecord(record, prefix + 1, record.length, recordStart);
    // Stream offset of chunk[0].
    this.base = recordStart + record.length - take;
    return take;
  }

  private keep(chunk: Uint8Array): void {
    // Copy: the caller may reuse the chunk's buffer.
    this.pending.push(chunk.slice());
    this.pendingLength += chunk.length;
  }

  /** Throws a located InputError when the stream ended inside a record. */
  finish(): void {
    if (this.pendingLength === 0) return;
    if (this.needed > 0) {
      throw new InputError(
        `truncated record: ${this.needed} bytes announced (with the length prefix) but only ${this.pendingLength} remain`,
        this.source,
        this.base,
      );
    }
    throw new InputError('truncated length prefix at the end of the file', this.source, this.base);
  }

  private badPrefix(offset: number): InputError {
    return new InputError(
      'malformed length prefix (varint longer than 10 bytes)',
      this.source,
      offset,
    );
  }

  private tooLong(length: number, offset: number): InputError {
    return new InputError(
      `record length ${length} exceeds the ${this.maxRecordBytes}-byte limit (damaged or not a delimited log)`,
      this.source,
      offset,
    );
  }
}

function concat(parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts);
}
