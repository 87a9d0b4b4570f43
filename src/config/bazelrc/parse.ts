/**
 * A lossless reading of a `.bazelrc`: the text is kept as is, cut into logical lines (a
 * backslash right before a newline continues the line, as Bazel's client does before
 * anything else) and each line into words exactly as Bazel's `Tokenize` does (quotes, a
 * backslash escapes the next character, `#` starts a comment outside quotes). Words keep
 * their character ranges so an edit can replace exactly one of them.
 */
export interface RcWord {
  value: string;
  start: number;
  end: number;
}

export interface RcLine {
  /** Range of the logical line's text, terminator excluded. */
  start: number;
  end: number;
  eol: '' | '\n' | '\r\n';
  /** 1-based number of the first physical line. */
  lineNumber: number;
  words: RcWord[];
  /** Whether a `#` comment follows the words (the rest of the line). */
  commentStart: number | null;
}

export interface RcDocument {
  text: string;
  lines: RcLine[];
}

const SEPARATORS = ' \t\r\n';

/**
 * A logical line with continuations taken out: its characters, and where each one stands in the
 * file. Lines without a continuation (nearly all) keep the file's own slice and a plain offset, so
 * a huge line costs no per-character allocation.
 */
interface CleanLine {
  chars: string;
  pos(index: number): number;
}

function cleanLine(text: string, start: number, end: number): CleanLine {
  const raw = text.slice(start, end);
  if (!raw.includes('\\\n') && !raw.includes('\\\r\n'))
    return { chars: raw, pos: (i) => start + i };
  const kept: string[] = [];
  const positions: number[] = [];
  for (let i = start; i < end; i++) {
    if (text[i] === '\\' && text[i + 1] === '\n') {
      i += 1;
      continue;
    }
    if (text[i] === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
      i += 2;
      continue;
    }
    kept.push(text[i]);
    positions.push(i);
  }
  return { chars: kept.join(''), pos: (i) => positions[i] };
}

function tokenize(line: CleanLine): {
  words: RcWord[];
  commentStart: number | null;
} {
  const { chars } = line;
  const words: RcWord[] = [];
  let i = 0;
  while (i < chars.length) {
    while (i < chars.length && SEPARATORS.includes(chars[i])) i++;
    if (i >= chars.length) break;
    if (chars[i] === '#') return { words, commentStart: line.pos(i) };
    const start = line.pos(i);
    // The word's value is built from literal runs of `chars` (sliced, not added one character
    // at a time: a fuzzed 10 MB word would otherwise churn the garbage collector).
    let value = '';
    let runStart = i;
    const flush = (to: number): void => {
      if (to > runStart) value += chars.slice(runStart, to);
    };
    let quote = '';
    let comment: number | null = null;
    let end = start;
    while (i < chars.length && (quote !== '' || !SEPARATORS.includes(chars[i]))) {
      const c = chars[i];
      if (c === '\\') {
        flush(i);
        i++;
        // The escaped character starts the next literal run.
        runStart = i;
        if (i >= chars.length) break;
        end = line.pos(i) + 1;
        i++;
        continue;
      }
      if (quote !== '') {
        if (c === quote) {
          flush(i);
          quote = '';
          runStart = i + 1;
        }
      } else if (c === '#') {
        flush(i);
        runStart = i;
        comment = line.pos(i);
        break;
      } else if (c === '"' || c === "'") {
        flush(i);
        quote = c;
        runStart = i + 1;
      }
      end = line.pos(i) + 1;
      i++;
    }
    flush(i);
    // Bazel drops a word that came out empty (`""`); we do the same.
    if (value !== '') words.push({ value, start, end });
    if (comment !== null) return { words, commentStart: comment };
  }
  return { words, commentStart: null };
}

export function parseBazelrc(text: string): RcDocument {
  const lines: RcLine[] = [];
  let start = 0;
  let lineNumber = 1;
  while (start < text.length) {
    let i = start;
    let physical = 1;
    let end = text.length;
    let eol: RcLine['eol'] = '';
    while (i < text.length) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      const continued =
        (nl >= 1 && text[nl - 1] === '\\') ||
        (nl >= 2 && text[nl - 1] === '\r' && text[nl - 2] === '\\');
      if (continued) {
        i = nl + 1;
        physical++;
        continue;
      }
      const crlf = nl > start && text[nl - 1] === '\r';
      end = crlf ? nl - 1 : nl;
      eol = crlf ? '\r\n' : '\n';
      break;
    }
    const { words, commentStart } = tokenize(cleanLine(text, start, end));
    lines.push({ start, end, eol, lineNumber, words, commentStart });
    start = end + eol.length;
    lineNumber += physical;
    if (eol === '') break;
  }
  return { text, lines };
}

/** Prints the document back; the inverse of parseBazelrc (byte-identical). */
export function printBazelrc(doc: RcDocument): string {
  return doc.lines.map((l) => doc.text.slice(l.start, l.end) + l.eol).join('');
}

/** A word as Bazel's tokenizer reads it back unchanged, quoted only when it must be. */
export function quoteRcWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./~^*!?-]+$/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
