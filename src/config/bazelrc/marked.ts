import { MARK, type Line } from '../lines';
import { parseBazelrc, type RcLine } from './parse';

/** The logical lines of an rc text as editable lines (a continued line stays one line). */
export function toLines(text: string, doc = parseBazelrc(text)): Line[] {
  return doc.lines.map((l) => ({ text: text.slice(l.start, l.end), eol: l.eol, start: l.start }));
}

/** Whether an rc line is one of ours: its `#` comment carries the marker. */
export function isMarked(text: string, line: RcLine): boolean {
  return line.commentStart !== null && text.slice(line.commentStart, line.end).includes(MARK);
}
