/**
 * Shares one decoded value between records whose bytes are equal, e.g. the environment of
 * every compile in a build: decoded once, the same frozen array for all of them. Keyed by a
 * hash of the bytes and checked byte for byte, so a collision costs a decode, never a wrong
 * value. Bounded: when full it starts over rather than growing with unique values.
 */
export class ByteKeyedCache<T> {
  private readonly entries = new Map<number, { bytes: Uint8Array; value: T }>();

  constructor(private readonly capacity = 4096) {}

  get(buf: Uint8Array, start: number, end: number, decode: () => T): T {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i], 0x01000193);
    const hit = this.entries.get(hash);
    const length = end - start;
    if (hit && hit.bytes.length === length) {
      let i = 0;
      while (i < length && hit.bytes[i] === buf[start + i]) i++;
      if (i === length) return hit.value;
    }
    const value = decode();
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(hash, { bytes: Uint8Array.prototype.slice.call(buf, start, end), value });
    return value;
  }
}
