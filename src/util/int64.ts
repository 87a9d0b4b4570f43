/**
 * A protobuf int64 as a JS number, whatever shape the decoder produced: a number, a decimal
 * string (proto3 JSON), or a Long-like `{low, high}` object (protobufjs fills unset int64
 * fields from a Long default when long.js is installed, even with --force-number). Values
 * beyond 2^53 lose precision, which no size or duration in a build log reaches.
 */
export function int64ToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return high * 0x100000000 + (low >>> 0);
  }
  return 0;
}
