/** One physical line: its text and the terminator that followed it ('' for the last one). */
export interface Line {
  text: string;
  eol: '' | '\n' | '\r\n';
  /** Character index of the line's start in the whole text. */
  start: number;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ text: text.slice(start), eol: '', start });
      break;
    }
    const crlf = nl > start && text[nl - 1] === '\r';
    lines.push({ text: text.slice(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n', start });
    start = nl + 1;
  }
  return lines;
}

export function joinLines(lines: readonly Line[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

/** The line ending a file mostly uses, so lines we add match it (CRLF files stay CRLF). */
export function dominantEol(text: string): '\n' | '\r\n' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Inserts whole lines (without terminators) before line index `at` (lines.length = append).
 * Appending to a file without a final newline keeps it without one: the new lines go after a
 * terminator added to the old last line, and the last new line gets none.
 */
export function insertLines(
  lines: Line[],
  at: number,
  added: readonly string[],
  eol: string,
): Line[] {
  const e = eol as Line['eol'];
  const result = lines.map((l) => ({ ...l }));
  const newLines: Line[] = added.map((text) => ({ text, eol: e, start: -1 }));
  if (at >= result.length && result.length > 0 && result[result.length - 1].eol === '') {
    result[result.length - 1].eol = e;
    newLines[newLines.length - 1].eol = '';
  }
  result.splice(at, 0, ...newLines);
  return result;
}

/**
 * Removes the lines whose indexes are in `remove`. When the removed lines include the last
 * line and it had no terminator, the new last line loses its terminator, so that removing
 * what `insertLines` appended restores the file exactly.
 */
export function removeLines(lines: readonly Line[], remove: ReadonlySet<number>): Line[] {
  const kept = lines.filter((_, i) => !remove.has(i)).map((l) => ({ ...l }));
  const lastRemoved = lines.length > 0 && remove.has(lines.length - 1);
  if (lastRemoved && lines[lines.length - 1].eol === '' && kept.length > 0) {
    kept[kept.length - 1].eol = '';
  }
  return kept;
}

/** The marker on every line we add, so `disable` can find and remove exactly those. */
export const MARK = 'rbl:remote';

/**
 * First line of a file `set` creates. `disable` deletes a file only when nothing but this
 * line is left, so a file that existed before (even an empty one) is never deleted.
 */
export const CREATED_LINE = `# ${MARK}: created by \`rbl remote set\`; \`rbl remote disable\` deletes it`;

/** The text `set` starts a new file with. */
export function createdFileText(): string {
  return `${CREATED_LINE}\n`;
}

/** Whether `text` is what is left of a file `set` created once our lines are gone. */
export function isOnlyCreatedLine(text: string): boolean {
  return text === createdFileText() || text === CREATED_LINE;
}
