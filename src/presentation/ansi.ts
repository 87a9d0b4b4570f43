/**
 * Removes terminal escape sequences from Bazel's console output for the output channel, which
 * shows text verbatim. Covers CSI (colours, cursor moves Bazel's curses mode uses), OSC (titles,
 * links) and single-character escapes; a carriage return that rewrites a line keeps the last
 * version, as a terminal would show it.
 */
const ESCAPES =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text
    .replace(ESCAPES, '')
    .split('\n')
    .map((line) => {
      // `progress\rprogress 2` on a terminal leaves only the text after the last CR.
      const parts = line.split('\r').filter((p, i, all) => p !== '' || i === all.length - 1);
      return parts.length > 1 && parts[parts.length - 1] === ''
        ? parts[parts.length - 2]
        : (parts[parts.length - 1] ?? '');
    })
    .join('\n');
}

/**
 * Splits a stream of console chunks into ANSI-free complete lines: an escape sequence or a line
 * may be cut between two chunks, so the unfinished tail waits for the next chunk.
 */
export class AnsiLineBuffer {
  private pending = '';

  /** Returns the complete lines (each with its newline) that this chunk finished. */
  push(chunk: string): string {
    const text = this.pending + chunk;
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline < 0) {
      this.pending = text;
      return '';
    }
    this.pending = text.slice(lastNewline + 1);
    return stripAnsi(text.slice(0, lastNewline + 1));
  }

  /** The unfinished last line, when the stream ends without a newline. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? '' : stripAnsi(rest);
  }
}
