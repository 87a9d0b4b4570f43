import { MARK, dominantEol, insertLines, joinLines, removeLines, splitLines } from '../lines';
import { globalEntries } from './effective';
import { scanTomlFile } from './files';
import type { TextOrigin } from '../text-file';
import { formatTomlValue, type TomlValue } from './toml-scan';

/**
 * Lossless edits of `[GLOBAL]` in a Pants TOML file: every byte outside the entry being set
 * stays as it was, and every edit can be undone exactly (see removeMarked).
 */
/** The marker of a line that replaced one of the user's, followed by the original as JSON. */
export const WAS = `# ${MARK} was: `;

export function sameValue(a: TomlValue, b: TomlValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Sets `[GLOBAL] name = value` in a TOML text. Our own marked line is updated in place; a
 * line of the user's is replaced by ours, which keeps the original text (as JSON) in its
 * marker comment so `disable` can put it back byte for byte; a missing key is added after
 * the last entry of [GLOBAL] (a marked [GLOBAL] header is added when there is none).
 */
export function setGlobalOption(
  text: string,
  file: string | TextOrigin,
  name: string,
  value: TomlValue,
): string {
  const doc = scanTomlFile(text, file);
  const formatted = formatTomlValue(value);
  const entries = globalEntries(doc);
  const existing = entries.find((e) => e.key[0] === name);
  if (existing) {
    const comment =
      existing.commentStart === null ? '' : text.slice(existing.commentStart, existing.lineEnd);
    if (comment.includes(MARK)) {
      return text.slice(0, existing.valueStart) + formatted + text.slice(existing.valueEnd);
    }
    if (existing.key.length === 1 && sameValue(existing.value, value)) return text;
    const original = text.slice(existing.lineStart, existing.lineEnd);
    const indent = /^[ \t]*/.exec(original)?.[0] ?? '';
    const line = `${indent}${name} = ${formatted} ${WAS}${JSON.stringify(original)}`;
    return text.slice(0, existing.lineStart) + line + text.slice(existing.lineEnd);
  }
  const line = `${name} = ${formatted} # ${MARK}`;
  const lines = splitLines(text);
  const eol = text === '' ? '\n' : dominantEol(text);
  const header = doc.tables.find((t) => t.name.length === 1 && t.name[0] === 'GLOBAL' && !t.array);
  if (!header) {
    const added = insertLines(lines, lines.length, [`[GLOBAL] # ${MARK}`, line], eol);
    if (text === '') added[added.length - 1].eol = '\n';
    return joinLines(added);
  }
  // Insert after the line the last [GLOBAL] entry ends on (or after the header).
  const after = entries.length > 0 ? entries[entries.length - 1].lineEnd : header.lineEnd;
  const index = lines.findIndex((l) => l.start + l.text.length >= after);
  return joinLines(insertLines(lines, index + 1, [line], eol));
}

/** Undoes every marked line: restores replaced originals, removes added lines and headers. */
export function removeMarked(text: string): string {
  const lines = splitLines(text);
  const remove = new Set<number>();
  const out = lines.map((l, i) => {
    const was = l.text.indexOf(WAS);
    if (was >= 0) {
      try {
        const original: unknown = JSON.parse(l.text.slice(was + WAS.length));
        if (typeof original === 'string') return { ...l, text: original };
      } catch {
        // A marker someone edited by hand: leave the line alone rather than guess.
      }
      return l;
    }
    if (new RegExp(`#\\s*${MARK}\\s*$`).test(l.text)) remove.add(i);
    return l;
  });
  return joinLines(removeLines(out, remove));
}
