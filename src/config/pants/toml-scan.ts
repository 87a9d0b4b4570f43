/**
 * A lossless scanner for the TOML that Pants reads: it finds every table header and key/value
 * entry with its character range and decodes the values, leaving the text itself alone, so an
 * edit can replace exactly one entry and keep every other byte (comments, order, layout).
 */
export type TomlValue = string | number | boolean | TomlValue[] | { [key: string]: TomlValue };

export interface TomlTable {
  name: string[];
  array: boolean;
  /** Range of the header line's content. */
  lineStart: number;
  lineEnd: number;
}

export interface TomlEntry {
  /** The table the entry belongs to ([] before the first header). */
  table: string[];
  key: string[];
  value: TomlValue;
  /** Start of the line holding the key, and end of the content of the line the value ends on. */
  lineStart: number;
  lineEnd: number;
  /** Range of the value's text. */
  valueStart: number;
  valueEnd: number;
  /** Start of a `#` comment after the value, on its last line, or null. */
  commentStart: number | null;
}

export interface TomlDocument {
  text: string;
  tables: TomlTable[];
  entries: TomlEntry[];
}

/** A syntax error at a character index (callers turn it into a byte offset). */
export class TomlSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

const BARE_KEY = /[A-Za-z0-9_-]/;

/** Far deeper than any Pants option goes; a damaged file could otherwise exhaust the stack. */
const MAX_NESTING = 100;

class Scanner {
  private depth = 0;
  i = 0;
  constructor(readonly s: string) {}

  fail(message: string, at = this.i): never {
    throw new TomlSyntaxError(message, at);
  }
  peek(n = 0): string {
    return this.s[this.i + n] ?? '';
  }
  startsWith(t: string): boolean {
    return this.s.startsWith(t, this.i);
  }
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }
  /** Skips a comment if one starts here; returns its start. */
  skipComment(): number | null {
    if (this.peek() !== '#') return null;
    const start = this.i;
    while (this.i < this.s.length && this.peek() !== '\n' && !this.startsWith('\r\n')) this.i++;
    return start;
  }
  atLineEnd(): boolean {
    return this.i >= this.s.length || this.peek() === '\n' || this.startsWith('\r\n');
  }
  skipNewline(): void {
    if (this.startsWith('\r\n')) this.i += 2;
    else if (this.peek() === '\n') this.i += 1;
  }
  /** Whitespace, newlines and comments, as allowed inside arrays. */
  skipBlank(): void {
    for (;;) {
      this.skipSpaces();
      if (this.skipComment() !== null) continue;
      if (this.peek() === '\n' || this.startsWith('\r\n')) {
        this.skipNewline();
        continue;
      }
      return;
    }
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const start = this.i;
        while (BARE_KEY.test(this.peek())) this.i++;
        if (this.i === start) this.fail('expected a key');
        parts.push(this.s.slice(start, this.i));
      }
      this.skipSpaces();
      if (this.peek() !== '.') return parts;
      this.i++;
    }
  }

  basicString(): string {
    this.i++; // opening quote
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '\n') this.fail('unterminated string');
      this.i++;
      if (c === '"') return out;
      if (c === '\\') out += this.escape();
      else out += c;
    }
  }

  escape(): string {
    const c = this.peek();
    this.i++;
    const simple: Record<string, string> = {
      b: '\b',
      t: '\t',
      n: '\n',
      f: '\f',
      r: '\r',
      '"': '"',
      '\\': '\\',
      e: '\x1b',
    };
    if (c in simple) return simple[c];
    if (c === 'u' || c === 'U') {
      const len = c === 'u' ? 4 : 8;
      const hex = this.s.slice(this.i, this.i + len);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.fail('invalid unicode escape');
      this.i += len;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    return this.fail(`invalid escape \\${c}`, this.i - 2);
  }

  literalString(): string {
    const start = ++this.i;
    while (this.peek() !== "'") {
      if (this.peek() === '' || this.peek() === '\n') this.fail('unterminated string');
      this.i++;
    }
    return this.s.slice(start, this.i++);
  }

  multiline(quote: string): string {
    const start = this.i;
    this.i += 3;
    if (this.startsWith('\r\n')) this.i += 2;
    else if (this.peek() === '\n') this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated multi-line string', start);
      if (this.startsWith(quote.repeat(3))) {
        // Up to two quotes may end the content right before the closing delimiter.
        let extra = 0;
        while (extra < 2 && this.s[this.i + 3 + extra] === quote) extra++;
        out += quote.repeat(extra);
        this.i += 3 + extra;
        return out;
      }
      const c = this.peek();
      if (quote === '"' && c === '\\') {
        const rest = /^\\[ \t]*\r?\n[ \t\r\n]*/.exec(this.s.slice(this.i, this.i + 200));
        if (rest) {
          // A line-ending backslash trims the newline and the whitespace that follows.
          this.i += rest[0].length;
          continue;
        }
        this.i++;
        out += this.escape();
        continue;
      }
      out += c;
      this.i++;
    }
  }

  value(): TomlValue {
    const c = this.peek();
    if (this.startsWith('"""')) return this.multiline('"');
    if (this.startsWith("'''")) return this.multiline("'");
    if (c === '"') return this.basicString();
    if (c === "'") return this.literalString();
    if (c === '[' || c === '{') return this.nested(c);
    const start = this.i;
    while (/[0-9A-Za-z_+\-.:]/.test(this.peek())) this.i++;
    const word = this.s.slice(start, this.i);
    if (word === '') this.fail('expected a value');
    if (word === 'true') return true;
    if (word === 'false') return false;
    const n = Number(word.replace(/_/g, ''));
    if (/^[+-]?(\d|inf|nan)/.test(word) && !Number.isNaN(n)) return n;
    // Dates and times stay text; Pants has no option that takes one.
    if (/^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(word)) return word;
    if (/^[+-]?(inf|nan)$/.test(word)) return Number(word.replace('inf', 'Infinity'));
    return this.fail(`invalid value '${word}'`, start);
  }

  /** Arrays and inline tables, refused past MAX_NESTING deep rather than overflowing the stack. */
  nested(open: '[' | '{'): TomlValue {
    if (this.depth >= MAX_NESTING) this.fail(`nested more than ${MAX_NESTING} deep`);
    this.depth++;
    try {
      return open === '[' ? this.array() : this.inlineTable();
    } finally {
      this.depth--;
    }
  }

  array(): TomlValue[] {
    this.i++;
    const out: TomlValue[] = [];
    for (;;) {
      this.skipBlank();
      if (this.peek() === ']') {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skipBlank();
      if (this.peek() === ',') this.i++;
      else if (this.peek() !== ']') this.fail("expected ',' or ']' in array");
    }
  }

  inlineTable(): { [key: string]: TomlValue } {
    this.i++;
    const out: { [key: string]: TomlValue } = {};
    this.skipSpaces();
    if (this.peek() === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      const key = this.key();
      if (this.peek() !== '=') this.fail("expected '=' in inline table");
      this.i++;
      this.skipSpaces();
      setPath(out, key, this.value());
      this.skipSpaces();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.peek() === '}') {
        this.i++;
        return out;
      }
      this.fail("expected ',' or '}' in inline table");
    }
  }
}

function setPath(target: { [key: string]: TomlValue }, key: string[], value: TomlValue): void {
  let t = target;
  for (const part of key.slice(0, -1)) {
    const next = t[part];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) t = next;
    else t = t[part] = {};
  }
  t[key[key.length - 1]] = value;
}

export function scanToml(text: string): TomlDocument {
  const sc = new Scanner(text);
  const doc: TomlDocument = { text, tables: [], entries: [] };
  let table: string[] = [];
  while (sc.i < text.length) {
    const lineStart = sc.i;
    sc.skipSpaces();
    if (sc.skipComment() !== null || sc.atLineEnd()) {
      if (!sc.atLineEnd()) sc.fail('expected end of line');
      sc.skipNewline();
      continue;
    }
    if (sc.peek() === '[') {
      const array = sc.peek(1) === '[';
      sc.i += array ? 2 : 1;
      table = sc.key();
      if (!sc.startsWith(array ? ']]' : ']')) sc.fail("expected ']' after table name");
      sc.i += array ? 2 : 1;
      sc.skipSpaces();
      sc.skipComment();
      if (!sc.atLineEnd()) sc.fail('expected end of line after table header');
      doc.tables.push({ name: table, array, lineStart, lineEnd: sc.i });
      sc.skipNewline();
      continue;
    }
    const key = sc.key();
    if (sc.peek() !== '=') sc.fail("expected '=' after key");
    sc.i++;
    sc.skipSpaces();
    const valueStart = sc.i;
    const value = sc.value();
    const valueEnd = sc.i;
    sc.skipSpaces();
    const commentStart = sc.skipComment();
    if (!sc.atLineEnd()) sc.fail('expected end of line after value');
    doc.entries.push({
      table,
      key,
      value,
      lineStart,
      lineEnd: sc.i,
      valueStart,
      valueEnd,
      commentStart,
    });
    sc.skipNewline();
  }
  return doc;
}

/** A TOML value as text: basic strings (JSON's escapes are TOML's), arrays, inline tables. */
export function formatTomlValue(value: TomlValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatTomlValue).join(', ')}]`;
  const parts = Object.entries(value).map(
    ([k, v]) => `${formatTomlKey(k)} = ${formatTomlValue(v)}`,
  );
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

export function formatTomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}
