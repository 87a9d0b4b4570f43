// Builds compact execution logs for tests: ExecLogEntry records encoded with our own schema,
// varint-delimited, wrapped in a zstd frame of raw (stored) blocks. Raw blocks are valid zstd
// that any decoder must accept, so no compressor (no external program) is needed.
import { tools } from '../../../src/gen/protos';

type Entry = tools.protos.ExecLogEntry.$Properties;

/** The delimited records of `entries`, uncompressed. */
export function delimitedEntries(entries: Entry[]): Buffer {
  return Buffer.concat(
    entries.map((e) => Buffer.from(tools.protos.ExecLogEntry.encodeDelimited(e).finish())),
  );
}

const MAX_RAW_BLOCK = 128 * 1024;

/** A zstd frame holding `data` in raw blocks. */
export function zstdRawFrame(data: Uint8Array, blockSize = MAX_RAW_BLOCK): Buffer {
  // Frame header: magic, descriptor 0 (no checksum, no content size, not single-segment),
  // window descriptor 0x38 (2^17 bytes, enough for 128 KiB blocks).
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])];
  let pos = 0;
  do {
    const size = Math.min(blockSize, data.length - pos);
    const last = pos + size >= data.length ? 1 : 0;
    const header = last | (0 << 1) | (size << 3);
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]));
    parts.push(Buffer.from(data.subarray(pos, pos + size)));
    pos += size;
  } while (pos < data.length);
  return Buffer.concat(parts);
}

export function compactLog(entries: Entry[], blockSize?: number): Buffer {
  return zstdRawFrame(delimitedEntries(entries), blockSize);
}

export function digest(hash: string, sizeBytes = 1): tools.protos.Digest.$Properties {
  return { hash, sizeBytes };
}
