import { InputError } from '../../util/errors';
import { splitLines, type Line } from '../lines';
import { byteOffset, originOf, type TextOrigin } from '../text-file';

/**
 * A lossless reading of a `.buckconfig`: the physical lines are kept as they are, and the
 * entries found in them carry the line range they span (a value ending in a backslash
 * continues on the next line). Comments start with `#` or `;` at the start of a line.
 */
export interface BuckEntry {
  section: string;
  key: string;
  value: string;
  firstLine: number;
  lastLine: number;
}

export interface BuckInclude {
  path: string;
  optional: boolean;
  line: number;
}

export interface BuckDocument {
  lines: Line[];
  entries: BuckEntry[];
  includes: BuckInclude[];
}

/**
 * Error offsets are counted in the decoding the text came from (latin1 when the file is not
 * valid UTF-8, plus a BOM), so they point at the bad line in the file as stored.
 */
export function parseBuckconfig(text: string, file: string | TextOrigin): BuckDocument {
  const lines = splitLines(text);
  const doc: BuckDocument = { lines, entries: [], includes: [] };
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].text.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const include = /^<(\?)?file:(.+)>$/.exec(t);
    if (include) {
      doc.includes.push({ path: include[2], optional: include[1] === '?', line: i });
      continue;
    }
    const header = /^\[([^\]]*)\]\s*([#;].*)?$/.exec(t);
    if (header) {
      section = header[1].trim();
      continue;
    }
    const eq = t.indexOf('=');
    if (eq <= 0) {
      const origin = originOf(file, text);
      throw new InputError(
        `expected 'key = value', a [section] or a comment on line ${i + 1}`,
        origin.displayPath,
        byteOffset(origin, text, lines[i].start),
      );
    }
    const first = i;
    let raw = t.slice(eq + 1).trimStart();
    while (raw.endsWith('\\') && i + 1 < lines.length) {
      i++;
      raw = raw.slice(0, -1) + lines[i].text.trim();
    }
    doc.entries.push({
      section,
      key: t.slice(0, eq).trim(),
      value: raw.trim(),
      firstLine: first,
      lastLine: i,
    });
  }
  return doc;
}

/** Marker lines around the block `set` adds; `disable` removes everything between them. */
export const BLOCK_BEGIN =
  '# rbl:remote begin: added by `rbl remote set`; `rbl remote disable` removes this block';
export const BLOCK_END = '# rbl:remote end';

/** Line indexes of our block(s): [begin, end] pairs. */
export function findBlocks(lines: readonly Line[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].text !== BLOCK_BEGIN) continue;
    const end = lines.findIndex((l, j) => j > i && l.text === BLOCK_END);
    if (end < 0) break;
    out.push([i, end]);
    i = end;
  }
  return out;
}
