import type { LogFormat } from '../execlog/types';

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The format of a log, from its first bytes (`head`) and its size, never from its name.
 * - 0 bytes: `empty` (a no-op build writes empty logs).
 * - zstd magic: `compact`.
 * - `{` first: JSON. BEP events start with their `"id"` (and BEP JSON leaves defaults out, so an
 *   all-default event is `{}`); a SpawnExec starts with `"commandArgs"` or another SpawnExec key.
 * - otherwise varint-delimited binary. A BuildEvent's first field is its id (field 1), a
 *   message holding exactly one id kind; a SpawnExec's field 1 is an argument string. So the
 *   first record is read as a BuildEvent id; if it does not parse as one it is a SpawnExec.
 * Undecidable or unknown content gets the closest guess; its reader then reports the damage.
 */
export function detectLogFormat(head: Buffer, size: number): LogFormat {
  if (size === 0) return 'empty';
  if (head.length >= 4 && ZSTD_MAGIC.every((b, i) => head[i] === b)) return 'compact';
  let start = 0;
  while (start < head.length && isWhitespace(head[start])) start++;
  // Only whitespace: JSON with no values.
  if (start === head.length) return 'bep-json';
  if (head[start] === 0x7b) return jsonKind(head, start);
  return firstRecordIsBuildEvent(head) ? 'bep-binary' : 'spawn-binary';
}

const SPAWN_KEYS = new Set([
  'commandArgs',
  'environmentVariables',
  'platform',
  'inputs',
  'listedOutputs',
  'remotable',
  'cacheable',
  'timeoutMillis',
  'progressMessage',
  'mnemonic',
  'actualOutputs',
  'runner',
  'cacheHit',
  'remoteCacheHit',
  'status',
  'exitCode',
  'remoteCacheable',
  'targetLabel',
  'digest',
  'metrics',
]);

function jsonKind(head: Buffer, start: number): LogFormat {
  const m = /^\{\s*(?:"((?:[^"\\]|\\.)*)"|(\}))/.exec(head.toString('utf8', start, start + 4096));
  if (!m || m[2] !== undefined) return 'bep-json';
  return SPAWN_KEYS.has(m[1]) ? 'spawn-json' : 'bep-json';
}

/** Reads a varint at `pos`; null when it does not end within `end`. */
function varint(buf: Buffer, pos: number, end: number): { value: number; next: number } | null {
  let value = 0;
  for (let shift = 0; pos < end && shift < 35; shift += 7) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return { value, next: pos };
  }
  return null;
}

function firstRecordIsBuildEvent(head: Buffer): boolean {
  const length = varint(head, 0, head.length);
  if (!length) return false;
  const end = Math.min(head.length, length.next + length.value);
  let pos = length.next;
  // Field 1, wire type 2 (the id).
  if (pos >= end || head[pos] !== 0x0a) return false;
  const idLength = varint(head, pos + 1, end);
  if (!idLength) return false;
  pos = idLength.next;
  const idEnd = pos + idLength.value;
  if (idEnd > end && end === length.next + length.value) return false;
  // Inside the id: one length-delimited field (every id kind is a message) filling it exactly.
  const tag = varint(head, pos, end);
  if (!tag || (tag.value & 7) !== 2 || tag.value >>> 3 === 0 || tag.value >>> 3 > 64) return false;
  const kindLength = varint(head, tag.next, end);
  if (!kindLength) return false;
  return kindLength.next + kindLength.value === idEnd;
}
