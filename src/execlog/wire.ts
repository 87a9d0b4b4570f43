type Utf8Slicer = { utf8Slice?: (start: number, end: number) => string };

/**
 * Decodes UTF-8 bytes. Node's Buffer#toString checks and normalises its arguments on every
 * call, which costs more than decoding the short strings of a log; `utf8Slice` (the method
 * toString ends in, present on every Node Buffer) skips that.
 */
function utf8(buf: Buffer, start: number, end: number): string {
  const slicer = buf as unknown as Utf8Slicer;
  return slicer.utf8Slice ? slicer.utf8Slice(start, end) : buf.toString('utf8', start, end);
}

/**
 * Some short strings repeat across the spawns of a log (mnemonics, runners, labels,
 * environment variables): decoding each once and sharing it saves both the decoding and the
 * memory of every spawn kept. A direct-mapped cache keyed by a hash of the bytes; a slot
 * holds the last string that hashed there, checked byte for byte.
 */
const MAX_INTERNED = 128;
const SLOTS = 1 << 12;
const slotStrings: string[] = new Array<string>(SLOTS).fill('');
const slotBytes: Uint8Array[] = new Array<Uint8Array>(SLOTS).fill(new Uint8Array(0));

function interned(buf: Buffer, start: number, end: number): string {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i], 0x01000193);
  const slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
  const bytes = slotBytes[slot];
  const length = end - start;
  if (bytes.length === length) {
    let i = 0;
    while (i < length && bytes[i] === buf[start + i]) i++;
    if (i === length) return slotStrings[slot];
  }
  const s = utf8(buf, start, end);
  slotStrings[slot] = s;
  slotBytes[slot] = Uint8Array.prototype.slice.call(buf, start, end);
  return s;
}

/**
 * A minimal protobuf wire-format reader for the hot entries of compact logs. Generated decoders
 * build a full message object per entry; a 10^5-spawn log has several times that many entries,
 * and decoding them by hand into only the fields we keep is what lets reading keep pace with
 * decompression. Errors are thrown as plain Errors; the caller adds file and offset.
 */
export class WireReader {
  pos: number;

  constructor(
    public buf: Buffer,
    start: number,
    public end: number,
  ) {
    this.pos = start;
  }

  /** Points this reader at other bytes (one reader serves a whole log without allocating). */
  reset(buf: Buffer, start: number, end: number): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }

  /**
   * Narrows the reader to the nested message whose tag was just read; returns the outer end,
   * to give to `leave` when done.
   */
  enter(): number {
    const inner = this.lengthEnd();
    const outer = this.end;
    this.end = inner;
    return outer;
  }

  /** Skips whatever is left of the nested message and widens the reader back. */
  leave(outerEnd: number): void {
    this.pos = this.end;
    this.end = outerEnd;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    const buf = this.buf;
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const byte = buf[this.pos++];
      value += shift < 28 ? (byte & 0x7f) << shift : (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new Error('varint longer than 10 bytes');
  }

  /** An int32 (negative ones are 10-byte varints): only the low 32 bits matter. */
  int32(): number {
    const buf = this.buf;
    let value = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const byte = buf[this.pos++];
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value | 0;
    }
    throw new Error('varint longer than 10 bytes');
  }

  /** The end offset of a length-delimited field whose tag was just read. */
  lengthEnd(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.end) throw new Error(`field length ${length} runs past the end of the message`);
    return end;
  }

  string(): string {
    const end = this.lengthEnd();
    const s = utf8(this.buf, this.pos, end);
    this.pos = end;
    return s;
  }

  /** A string field that repeats across records (mnemonic, runner, ...): shared, see `interned`. */
  repeatedString(): string {
    const end = this.lengthEnd();
    const s =
      end - this.pos <= MAX_INTERNED
        ? interned(this.buf, this.pos, end)
        : utf8(this.buf, this.pos, end);
    this.pos = end;
    return s;
  }

  /** The raw bytes of a nested message (for the generated decoder of a rarely used one). */
  bytes(): Uint8Array {
    const end = this.lengthEnd();
    const bytes = this.buf.subarray(this.pos, end);
    this.pos = end;
    return bytes;
  }

  /** Repeated uint32, packed (wire type 2) or not (wire type 0). */
  uint32s(wireType: number, into: number[]): void {
    if (wireType === 0) {
      into.push(this.varint());
      return;
    }
    const end = this.lengthEnd();
    while (this.pos < end) into.push(this.varint());
    if (this.pos !== end) throw new Error('packed field overruns its length');
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.lengthEnd();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new Error(`invalid wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new Error('field runs past the end of the message');
  }
}
