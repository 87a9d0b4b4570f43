import { InputError } from './errors';
import { MAX_RECORD_BYTES } from './delimited-splitter';

/** The text of one top-level JSON value and the byte offset where it starts. */
export interface JsonValueText {
  offset: number;
  text: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function describeByte(byte: number): string {
  return byte >= 0x21 && byte <= 0x7e
    ? `'${String.fromCharCode(byte)}'`
    : `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Splits a stream of JSON objects or arrays into the text of each value, chunk by chunk: one per
 * line (NDJSON, as Bazel writes BEP) or pretty-printed and concatenated with no separator (as
 * Bazel 4.x writes execution logs). It only tracks nesting, strings and escapes; the values are
 * parsed by the caller. It scans bytes, not characters, so offsets are byte offsets; this is safe
 * for UTF-8 because no byte of a multi-byte character is ASCII. Only the unfinished value is kept
 * between chunks.
 */
export class JsonValueSplitter {
  private parts: Uint8Array[] = [];
  private partsLength = 0;
  /** Stream offset of the next chunk's first byte. */
  private offset = 0;
  /** Stream offset where the unfinished value starts. */
  private valueStart = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(
    private readonly source?: string,
    private readonly maxValueBytes = MAX_RECORD_BYTES,
  ) {}

  /** Calls `onValue` for every value that `chunk` completes; throws a located InputError on bytes that cannot start a value. */
  push(chunk: Uint8Array, onValue: (value: JsonValueText) => void): void {
    const n = chunk.length;
    let partStart = 0;
    let i = 0;
    while (i < n) {
      const byte = chunk[i];
      if (this.depth === 0) {
        if (isJsonWhitespace(byte)) {
          i++;
          continue;
        }
        if (byte !== OPEN_BRACE && byte !== OPEN_BRACKET) {
          this.offset += i;
          throw new InputError(
            `unexpected ${describeByte(byte)} where a JSON object should start`,
            this.source,
            this.offset,
          );
        }
        this.depth = 1;
        this.valueStart = this.offset + i;
        partStart = i;
        i++;
        continue;
      }
      i++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        continue;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          onValue({ offset: this.valueStart, text: this.takeValue(chunk, partStart, i) });
        }
      }
    }
    if (this.depth > 0) {
      // Copy: the caller may reuse the chunk's buffer.
      const part = chunk.slice(partStart);
      this.parts.push(part);
      this.partsLength += part.length;
      if (this.partsLength > this.maxValueBytes) {
        throw new InputError(
          `JSON value longer than ${this.maxValueBytes} bytes (damaged, or not a log)`,
          this.source,
          this.valueStart,
        );
      }
    }
    this.offset += n;
  }

  /** Throws a located InputError when the stream ended inside a value. */
  finish(): void {
    if (this.depth > 0) {
      throw new InputError(
        'truncated JSON value: the file ends inside it',
        this.source,
        this.valueStart,
      );
    }
  }

  private takeValue(chunk: Uint8Array, start: number, end: number): string {
    const tail = Buffer.from(chunk.buffer, chunk.byteOffset + start, end - start);
    if (this.parts.length === 0) return tail.toString('utf8');
    const whole = Buffer.concat([...this.parts, tail], this.partsLength + tail.length);
    this.parts = [];
    this.partsLength = 0;
    return whole.toString('utf8');
  }
}
