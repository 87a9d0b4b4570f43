import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { escapeRegExp, removeStaleTempFiles } from '../util/stale-temp-files';

/**
 * A config file as read for editing: its text without the BOM, how to write it back
 * byte-exactly, and a fingerprint to detect a change made by someone else meanwhile.
 */
export interface TextFile {
  /** The path as asked for (absolute; may be a symlink). */
  path: string;
  /** The path shown to the user (relative to the workspace when inside it). */
  displayPath: string;
  /** The file actually read and written: a symlink's target inside the workspace. */
  realPath: string;
  exists: boolean;
  text: string;
  bom: boolean;
  /** latin1 when the bytes are not valid UTF-8, so that they still round-trip. */
  encoding: 'utf8' | 'latin1';
  /** Permission bits to keep on rewrite (0o644 for a new file unless told otherwise). */
  mode: number;
  /** sha256 of the bytes read, or null when the file did not exist. */
  fingerprint: string | null;
}

const BOM = '\ufeff';

export function fingerprintOf(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Decodes bytes so that `encodeText(decodeText(b))` gives back exactly `b`. */
export function decodeText(bytes: Buffer): Pick<TextFile, 'text' | 'bom' | 'encoding'> {
  const utf8 = bytes.toString('utf8');
  const encoding = Buffer.from(utf8, 'utf8').equals(bytes) ? 'utf8' : 'latin1';
  let text = encoding === 'utf8' ? utf8 : bytes.toString('latin1');
  const bom = encoding === 'utf8' && text.startsWith(BOM);
  if (bom) text = text.slice(1);
  return { text, bom, encoding };
}

export function encodeText(file: Pick<TextFile, 'bom' | 'encoding'>, text: string): Buffer {
  return Buffer.from((file.bom ? BOM : '') + text, file.encoding);
}

/** How a text was decoded from its file's bytes: what byte offsets are counted in. */
export type TextDecoding = Pick<TextFile, 'bom' | 'encoding'>;

/** A text's file as errors name it, and the decoding its byte offsets are counted in. */
export interface TextOrigin extends TextDecoding {
  displayPath: string;
}

/**
 * The origin of a text known only by its file's name (the pure editors). Its bytes are
 * unknown, so the decoding is the one `decodeText` would have chosen for the text's latin1
 * form: a text of latin1 characters that are not valid UTF-8 as bytes came from a latin1
 * decoding. Counting such a text as latin1 never puts an offset past the end of the file.
 */
export function originOf(file: string | TextOrigin, text: string): TextOrigin {
  if (typeof file !== 'string') return file;
  // eslint-disable-next-line no-control-regex
  const latin1Only = /^[\u0000-\u00ff]*$/.test(text);
  const encoding =
    latin1Only && decodeText(Buffer.from(text, 'latin1')).encoding === 'latin1' ? 'latin1' : 'utf8';
  return { displayPath: file, bom: false, encoding };
}

/** Byte offset of character index `index` in `text` as stored (BOM included). */
export function byteOffset(file: TextDecoding, text: string, index: number) {
  const prefix = file.bom ? 3 : 0;
  return prefix + Buffer.byteLength(text.slice(0, index), file.encoding);
}

/** Shows `p` relative to the workspace when it is inside, else absolute. */
export function displayPathOf(workspace: string, p: string): string {
  const rel = path.relative(workspace, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

export function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Reads `file` for editing. A symlink is followed to its target when the target lies inside
 * the workspace (many projects commit `.bazelrc` as a link); otherwise editing is refused,
 * because the target is shared with other checkouts.
 */
export function readTextFile(workspace: string, file: string, newFileMode = 0o644): TextFile {
  const displayPath = displayPathOf(workspace, file);
  let realPath = file;
  let stat: fs.Stats | undefined;
  try {
    const lstat = fs.lstatSync(file);
    if (lstat.isSymbolicLink()) {
      try {
        realPath = fs.realpathSync(file);
      } catch {
        throw new InputError('is a dangling symlink; fix or remove it first', displayPath);
      }
      const realWorkspace = fs.realpathSync(workspace);
      if (!isInside(realWorkspace, realPath)) {
        throw new InputError(
          `is a symlink to ${realPath}, outside the workspace; refusing to edit a file other checkouts share`,
          displayPath,
        );
      }
    }
    stat = fs.statSync(realPath);
  } catch (err) {
    if (err instanceof InputError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new InputError(`cannot read: ${(err as Error).message}`, displayPath);
    }
  }
  if (!stat) {
    return {
      path: file,
      displayPath,
      realPath,
      exists: false,
      text: '',
      bom: false,
      encoding: 'utf8',
      mode: newFileMode,
      fingerprint: null,
    };
  }
  if (!stat.isFile()) throw new InputError('is not a regular file', displayPath);
  const bytes = fs.readFileSync(realPath);
  return {
    path: file,
    displayPath,
    realPath,
    exists: true,
    ...decodeText(bytes),
    mode: stat.mode & 0o7777,
    fingerprint: fingerprintOf(bytes),
  };
}

/** Reads a file that may be absent, for reading settings only (no symlink policy). */
export function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new InputError(`cannot read: ${(err as Error).message}`, file);
  }
}

/** Texts to read instead of the disk (null: the file is gone), to check a planned edit. */
export type TextOverrides = ReadonlyMap<string, string | null>;

/** A file's text for reading settings: from `overrides` when it has the path, else the disk. */
export function readTextFor(
  file: string,
  overrides?: TextOverrides,
): ({ text: string } & TextDecoding) | null {
  if (overrides?.has(file)) {
    const text = overrides.get(file) ?? null;
    // A planned text is written back as UTF-8 without a BOM only when it had none.
    return text === null ? null : { text, bom: false, encoding: 'utf8' };
  }
  const bytes = readIfExists(file);
  return bytes === null ? null : decodeText(bytes);
}

/**
 * Writes `text` over `file` atomically: a temp file in the same directory, same mode, then
 * rename. Refuses when the file changed since `readTextFile` (someone else edited it).
 */
export function writeTextFileAtomic(file: TextFile, text: string): void {
  const current = readIfExists(file.realPath);
  const currentPrint = current === null ? null : fingerprintOf(current);
  if (currentPrint !== file.fingerprint) {
    throw new InputError(
      'changed on disk since it was read; run the command again',
      file.displayPath,
    );
  }
  try {
    writeBytes(file, text);
  } catch (err) {
    // Permission problems and full disks are about the user's files: exit 2, no stack.
    throw new InputError(`cannot write: ${(err as Error).message}`, file.displayPath);
  }
}

function writeBytes(file: TextFile, text: string): void {
  const dir = path.dirname(file.realPath);
  fs.mkdirSync(dir, { recursive: true });
  const base = path.basename(file.realPath);
  removeStaleTempFiles(dir, tempNamePattern(base));
  const temp = path.join(
    dir,
    `.${base}.rbl-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = fs.openSync(temp, 'wx', file.mode);
  try {
    fs.writeSync(fd, encodeText(file, text));
    // The mode passed to open is masked by the umask; set it exactly (0600 must stay 0600).
    fs.fchmodSync(fd, file.mode);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file.realPath);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/** The temp files `writeBytes` makes for `base`; group 1 is the writer's pid. */
export function tempNamePattern(base: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(base)}\\.rbl-(\\d+)-[0-9a-f]+\\.tmp$`);
}

/** Deletes a file we created, if it is still what we last saw. */
export function deleteTextFile(file: TextFile): void {
  const current = readIfExists(file.realPath);
  if (current === null) return;
  if (fingerprintOf(current) !== file.fingerprint) {
    throw new InputError(
      'changed on disk since it was read; run the command again',
      file.displayPath,
    );
  }
  fs.rmSync(file.realPath);
}
