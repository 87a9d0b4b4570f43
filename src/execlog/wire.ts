/**
 * A minimal protobuf wire-format reader for the hot entries of compact logs. Generated decoders
 * build a full message object per entry; a 10^5-spawn log has several times that many entries,
 * and decoding them by hand into only the fields we keep is what lets reading keep pace with
 * decompression. Errors are thrown as plain Errors; the caller adds file and offset.
 */
export class WireReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
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
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  /** A nested message as a sub-reader; this reader moves past it. */
  message(): WireReader {
    const end = this.lengthEnd();
    const sub = new WireReader(this.buf, this.pos, end);
    this.pos = end;
    return sub;
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
