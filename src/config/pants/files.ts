import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../util/errors';
import {
  byteOffset,
  displayPathOf,
  originOf,
  readTextFor,
  type TextOrigin,
  type TextOverrides,
} from '../text-file';
import { TomlSyntaxError, scanToml, type TomlDocument } from './toml-scan';

export interface PantsOptions {
  workspace: string;
  /** An overlay `pants.NAME.toml`, read after pants.toml (like PANTS_CONFIG_FILES does). */
  config: string | null;
  env: NodeJS.ProcessEnv;
  /** Home directory for ~/.pants.rc; null to skip it. Defaults to the real one. */
  homeDir?: string | null;
  /** System rc file; null to skip it. Defaults to /etc/pantsrc. */
  systemRc?: string | null;
}

export interface PantsFile {
  path: string;
  displayPath: string;
  kind: 'config' | 'overlay' | 'rc';
  doc: TomlDocument;
}

/**
 * Scans TOML text, turning a syntax error into an InputError with the file and byte offset.
 * The offset is counted in the decoding the text came from (latin1 when the file is not
 * valid UTF-8, plus a BOM), so it points at the bad byte in the file as stored.
 */
export function scanTomlFile(text: string, file: string | TextOrigin): TomlDocument {
  try {
    return scanToml(text);
  } catch (err) {
    if (err instanceof TomlSyntaxError) {
      const origin = originOf(file, text);
      throw new InputError(err.message, origin.displayPath, byteOffset(origin, text, err.index));
    }
    throw err;
  }
}

/** The files named by PANTS_CONFIG_FILES: one path, or a list literal like ['a', 'b']. */
export function overlaysFromEnv(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  const v = value.trim().replace(/^\+/, '');
  if (v.startsWith('[')) {
    return [...v.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]);
  }
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function configFileName(config: string | null): string {
  if (config === null) return 'pants.toml';
  if (!/^[A-Za-z0-9_.-]+$/.test(config)) {
    throw new InputError(`'${config}' is not a usable overlay name`, '--config');
  }
  return `pants.${config}.toml`;
}

/**
 * The files Pants reads, in order: pants.toml, the overlays of PANTS_CONFIG_FILES, the
 * overlay chosen with --config, then the pantsrc files (/etc/pantsrc, ~/.pants.rc,
 * .pants.rc), each overriding the ones before.
 */
export function pantsFilePaths(options: PantsOptions): { path: string; kind: PantsFile['kind'] }[] {
  const ws = path.resolve(options.workspace);
  const out: { path: string; kind: PantsFile['kind'] }[] = [
    { path: path.join(ws, 'pants.toml'), kind: 'config' },
  ];
  for (const o of overlaysFromEnv(options.env.PANTS_CONFIG_FILES)) {
    out.push({ path: path.resolve(ws, o), kind: 'overlay' });
  }
  if (options.config !== null) {
    out.push({ path: path.join(ws, configFileName(options.config)), kind: 'overlay' });
  }
  const home = options.homeDir === undefined ? os.homedir() : options.homeDir;
  const rcs = [
    options.systemRc === undefined ? '/etc/pantsrc' : options.systemRc,
    home === null ? null : path.join(home, '.pants.rc'),
    path.join(ws, '.pants.rc'),
  ];
  for (const rc of rcs) if (rc !== null) out.push({ path: rc, kind: 'rc' });
  const seen = new Set<string>();
  return out.filter((f) => !seen.has(f.path) && seen.add(f.path));
}

export function loadPantsFiles(options: PantsOptions, overrides?: TextOverrides): PantsFile[] {
  const ws = path.resolve(options.workspace);
  const files: PantsFile[] = [];
  for (const f of pantsFilePaths(options)) {
    const read = readTextFor(f.path, overrides);
    if (read === null) continue;
    const displayPath = displayPathOf(ws, f.path);
    const origin = { displayPath, bom: read.bom, encoding: read.encoding };
    files.push({ ...f, displayPath, doc: scanTomlFile(read.text, origin) });
  }
  return files;
}
