import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EffectiveReport, SingleKey } from '../report';
import { displayPathOf, readTextFor, type TextOverrides } from '../text-file';
import { parseBuckconfig, type BuckDocument } from './parse';

export interface BuckOptions {
  workspace: string;
  /** A file `.buckconfig.NAME`, passed to Buck2 with --config-file, read last. */
  config: string | null;
  env: NodeJS.ProcessEnv;
  /** Home directory for ~/.buckconfig.d and ~/.buckconfig.local; null to skip. */
  homeDir?: string | null;
}

export const SECTION = 'buck2_re_client';

export interface BuckFile {
  path: string;
  displayPath: string;
  doc: BuckDocument;
}

function folderFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .sort()
      .map((n) => path.join(dir, n))
      .filter((p) => fs.statSync(p).isFile());
  } catch {
    return [];
  }
}

export function buckConfigFileName(config: string | null): string {
  return config === null ? '.buckconfig' : `.buckconfig.${config}`;
}

/**
 * The files Buck2 reads, in order (later wins): ~/.buckconfig.d/*, ~/.buckconfig.local, the
 * project's .buckconfig.d/*, .buckconfig, .buckconfig.local, then the --config-file named
 * with --config. `<file:…>` includes are read in place.
 */
export function loadBuckFiles(options: BuckOptions, overrides?: TextOverrides): BuckFile[] {
  const ws = path.resolve(options.workspace);
  const home = options.homeDir === undefined ? os.homedir() : options.homeDir;
  const paths: string[] = [];
  if (home !== null) {
    paths.push(
      ...folderFiles(path.join(home, '.buckconfig.d')),
      path.join(home, '.buckconfig.local'),
    );
  }
  paths.push(
    ...folderFiles(path.join(ws, '.buckconfig.d')),
    path.join(ws, '.buckconfig'),
    path.join(ws, '.buckconfig.local'),
  );
  if (options.config !== null) paths.push(path.join(ws, buckConfigFileName(options.config)));
  const files: BuckFile[] = [];
  const read = (p: string, depth: number): void => {
    const got = readTextFor(p, overrides);
    if (got === null || depth > 10) return;
    const displayPath = displayPathOf(ws, p);
    const doc = parseBuckconfig(got.text, { displayPath, bom: got.bom, encoding: got.encoding });
    files.push({ path: p, displayPath, doc });
    for (const inc of doc.includes) read(path.resolve(path.dirname(p), inc.path), depth + 1);
  };
  for (const p of paths) read(p, 0);
  return files;
}

/** Expands $VAR and ${VAR} the way Buck2 does for RE settings; unknown ones stay as written. */
export function expandEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, name: string) => env[name] ?? whole,
  );
}

/** Splits `Name:Value, Name2:Value2` (http_headers) into pairs. */
export function parseHeaders(value: string): [string, string][] {
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.includes(':'))
    .map((p) => [p.slice(0, p.indexOf(':')).trim(), p.slice(p.indexOf(':') + 1).trim()]);
}

const KEYS: [string, SingleKey][] = [
  ['engine_address', 'executor'],
  ['action_cache_address', 'cache'],
  ['cas_address', 'cache'],
  ['instance_name', 'instance'],
  ['tls_ca_certs', 'tlsCa'],
  ['tls_client_cert', 'tlsCert'],
];

/** What Buck2 would use from [buck2_re_client], with the file and line of each value. */
export function effectiveBuckSettings(files: BuckFile[], options: BuckOptions): EffectiveReport {
  const report: EffectiveReport = {
    tool: 'buck2',
    single: {},
    headers: {},
    platform: {},
    files: files.map((f) => f.displayPath),
    warnings: [],
  };
  let tls: string | null = null;
  for (const f of files) {
    for (const e of f.doc.entries) {
      if (e.section !== SECTION) continue;
      const where = { file: f.displayPath, line: e.firstLine + 1 };
      const value = expandEnv(e.value, options.env);
      const key = KEYS.find(([k]) => k === e.key)?.[1];
      if (key) report.single[key] = { value, ...where };
      else if (e.key === 'tls') tls = e.value;
      else if (e.key === 'http_headers') {
        report.headers = {};
        for (const [name, v] of parseHeaders(value)) report.headers[name] = { value: v, ...where };
      }
    }
  }
  // Buck2 speaks TLS on a grpc:// address when `tls = true`: report that as grpcs://.
  for (const key of ['executor', 'cache'] as const) {
    const s = report.single[key];
    if (s && tls === 'true' && s.value.startsWith('grpc://'))
      s.value = `grpcs://${s.value.slice(7)}`;
  }
  return report;
}
