import * as fs from 'node:fs';
import { tools } from '../src/gen/protos';

/**
 * Writes a compact execution log (`--execution_log_compact_file`, Bazel 8.x layout): one zstd
 * frame of varint-delimited `ExecLogEntry`. Node 20 has no zstd encoder, so the frame uses raw
 * (stored) blocks, which every zstd decoder reads; the entries are what makes the format compact.
 */
export class CompactLogWriter {
  private readonly fd: number;
  private chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  private nextId = 1;
  bytes = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
    // Magic, then a frame header: no content size, no checksum, window 2^17 = 128 KiB.
    this.writeRaw(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]));
  }

  /** Appends an entry and returns its id (ids are what later entries refer to). */
  add(entry: Omit<tools.protos.ExecLogEntry.$Properties, 'id'>, withId = true): number {
    const id = withId ? this.nextId++ : 0;
    const bytes = tools.protos.ExecLogEntry.encodeDelimited({ ...entry, id }).finish();
    this.chunks.push(bytes);
    this.chunkBytes += bytes.length;
    if (this.chunkBytes >= BLOCK) this.flushBlocks(false);
    return id;
  }

  close(): void {
    this.flushBlocks(true);
    fs.closeSync(this.fd);
  }

  private flushBlocks(last: boolean): void {
    let data = Buffer.concat(this.chunks, this.chunkBytes);
    while (data.length >= BLOCK || (last && data.length > 0)) {
      const size = Math.min(BLOCK, data.length);
      const isLast = last && size === data.length;
      this.writeBlock(data.subarray(0, size), isLast);
      data = data.subarray(size);
    }
    if (last && this.chunkBytes === 0) this.writeBlock(new Uint8Array(0), true);
    this.chunks = data.length > 0 ? [Uint8Array.from(data)] : [];
    this.chunkBytes = data.length;
  }

  private writeBlock(data: Uint8Array, last: boolean): void {
    const header = (last ? 1 : 0) | (0 << 1) | (data.length << 3); // block type 0: raw
    this.writeRaw(Uint8Array.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]));
    this.writeRaw(data);
  }

  private writeRaw(data: Uint8Array): void {
    fs.writeSync(this.fd, data);
    this.bytes += data.length;
  }
}

const BLOCK = 128 * 1024;
